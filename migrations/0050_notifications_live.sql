-- Live notifications (#21): every change to a member's notifications (a new one, one read, one
-- deleted) is announced on the channel sen_notifications as "<workspace id>:<user id>", at
-- commit (a rolled-back write announces nothing). Each app node LISTENs and pushes the new
-- unread count to that member's open streams (src/modules/notifications/live.ts), so two nodes
-- behind one PostgreSQL both hear it; PGlite delivers the same to its one process.
CREATE FUNCTION sen_notifications_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r record;
BEGIN
  IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
  PERFORM pg_notify('sen_notifications', r.workspace_id::text || ':' || r.user_id::text);
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER notifications_changed AFTER INSERT OR DELETE OR UPDATE OF read_at ON notifications
  FOR EACH ROW EXECUTE FUNCTION sen_notifications_changed();
