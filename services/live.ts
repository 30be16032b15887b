/** What live pages start from. */
import type { Db } from "../db/db.ts";
import { latestEventId } from "../db/events_repo.ts";

/** The id of the newest outbox event: a live page resumes the event stream after it. */
export function lastEventId(db: Db): Promise<number> {
  return latestEventId(db);
}
