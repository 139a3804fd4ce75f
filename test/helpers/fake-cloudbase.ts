/** The CloudBase stand-in now lives in local/fake-cloudbase.ts (the bench uses it too); kept here so older imports still resolve. */
export * from '../../local/fake-cloudbase';
