-- Notification work stays in the outbox until it is done, so that Redis never holds its only copy.
-- notified_at used to say "handed to the Redis job stream": a Redis restarted empty then lost every job
-- in it for good, as nothing fed those events again. Now it says "done": the event's notifications are
-- made (in the transaction that makes them), or it needed none. notify_lease says how long the event
-- stays in the job stream before it is fed again: a job Redis lost is fed again when its lease runs out
-- (at once when a notification node sees the stream begin anew), and a job applied twice changes nothing.
--
-- The lease is in the index, after notified_at: the pending events a feeder may take (no lease, or one
-- run out) are then one range at the start of the index, ahead of the events in the stream, so a
-- feeder's lease reads what it takes and not the jobs waiting in Redis.
ALTER TABLE outbox
  DROP INDEX ix_outbox_unnotified,
  ADD INDEX ix_outbox_notify (notified_at, notify_lease, id);

-- Events a feeder handed to Redis whose job has not been applied: fed again (those that need no job are
-- then marked done by the feeder, those in the stream still are applied once). Events marked when
-- notifications came in (V5) carry no token and stay done.
UPDATE outbox SET notified_at = NULL, notify_lease = NULL
 WHERE notified_at IS NOT NULL AND notify_token IS NOT NULL
   AND address IN ('event.comment.created', 'event.comment.updated', 'event.post.created', 'event.post.updated',
                   'event.like.changed')
   AND NOT EXISTS (SELECT 1 FROM notification_jobs j WHERE j.event_id = outbox.event_id);
