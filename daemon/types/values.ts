/**
 * Values that cross from parameter conversion to the executors. JSON has no date, time or timestamp
 * types, so converted temporal parameters are tagged; the DuckDB binder turns them into DATE / TIME /
 * TIMESTAMP(TZ) parameters and the JS executor hands them to endpoint code as ISO strings / `Date`s.
 */

/** A calendar date, `YYYY-MM-DD`. */
export class DateParam {
  constructor(readonly iso: string) {}
  toJSON(): string {
    return this.iso;
  }
}

/** A time of day, `HH:MM:SS[.ffffff]`. */
export class TimeParam {
  constructor(readonly iso: string) {}
  toJSON(): string {
    return this.iso;
  }
}

/** An instant or local date-time. `utcOffset` set → TIMESTAMPTZ, else TIMESTAMP. */
export class TimestampParam {
  constructor(
    /** ISO 8601 as given, normalised (`Z` → `+00:00`). */
    readonly iso: string,
    /** Microseconds since the epoch (UTC when the value had an offset, else as if UTC). */
    readonly micros: bigint,
    readonly hasOffset: boolean,
  ) {}
  toJSON(): string {
    return this.iso;
  }
}

/** What validated parameters may contain: JSON values plus tagged temporals, nested in lists and objects. */
export type ParamValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | DateParam
  | TimeParam
  | TimestampParam
  | ParamValue[]
  | { [key: string]: ParamValue };

export type ParamValues = Record<string, ParamValue>;
