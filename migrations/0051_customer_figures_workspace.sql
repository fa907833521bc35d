-- A customer's figures (migration 0046), with every document read through its workspace: the
-- indexes that serve these lookups lead with workspace_id (orders_company_idx,
-- invoices_contact_idx, payments_company_idx, …). Under sen_app the RLS policy added that
-- condition, but run by a role RLS does not restrict (sen_system, the database owner: a
-- restore, a maintenance script) each lookup read a whole index — tens of milliseconds per
-- document at 1,000,000 invoices (bench/selling.ts). The tiers are the customer's workspace's
-- too (before, such a role could pick another workspace's tier).
CREATE OR REPLACE FUNCTION sen_customer_figures(p_table text, p_id uuid) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  prev text := current_setting('sen.keep_version', true);
  col text := CASE p_table WHEN 'companies' THEN 'company_id' ELSE 'contact_id' END;
BEGIN
  IF p_id IS NULL THEN RETURN; END IF;
  PERFORM set_config('sen.keep_version', 'on', true);
  EXECUTE format($f$
    UPDATE %1$I r SET
      (first_order_date, last_order_date, order_count) = (
        SELECT min(o.order_date), max(o.order_date), count(*)::int FROM orders o
         WHERE o.workspace_id = r.workspace_id AND o.%2$I = r.id AND o.deleted_at IS NULL
           AND o.status IN ('confirmed', 'completed')),
      (total_spent, open_balance, overdue_amount) = (
        SELECT coalesce(sum(i.paid_amount), 0),
               coalesce(sum(i.total - i.paid_amount) FILTER (WHERE i.status IN ('issued', 'partly_paid', 'overdue')), 0),
               coalesce(sum(i.total - i.paid_amount) FILTER (WHERE i.status = 'overdue'), 0)
          FROM invoices i
         WHERE i.workspace_id = r.workspace_id AND i.%2$I = r.id AND i.deleted_at IS NULL
           AND i.status NOT IN ('draft', 'void')),
      credit_balance = (
        SELECT coalesce(sum(p.amount - p.allocated_amount), 0) FROM payments p
         WHERE p.workspace_id = r.workspace_id AND p.%2$I = r.id AND p.deleted_at IS NULL
           AND p.status = 'posted'),
      last_activity_at = now()
    WHERE r.id = $1$f$, p_table, col) USING p_id;
  EXECUTE format($f$
    UPDATE %1$I r SET customer_tier = (
      SELECT t.name FROM customer_tiers t
       WHERE t.workspace_id = r.workspace_id AND t.min_total_spent <= r.total_spent
       ORDER BY t.min_total_spent DESC LIMIT 1)
    WHERE r.id = $1$f$, p_table) USING p_id;
  PERFORM set_config('sen.keep_version', coalesce(prev, ''), true);
END $$;
