/** Milliseconds since the epoch; injectable so tests control time instead of waiting. */
export type Clock = () => number;
