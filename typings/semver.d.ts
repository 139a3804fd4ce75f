// semver 6 ships no types; the Node version test uses only this.
declare module 'semver' {
  export function satisfies(version: string, range: string): boolean;
}
