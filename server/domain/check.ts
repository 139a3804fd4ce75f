/** When the engine will next ask the provider about an open item, and how often it has asked (see ./schedule.ts). */
export interface CheckSchedule {
  /** Epoch ms the item is due; absent: nothing automatic will ask again. */
  at?: number;
  /** Questions asked so far (the back-off step). */
  attempt: number;
  /** After this, an item still unsettled is marked for a person and leaves the automatic queue. */
  until: number;
}
