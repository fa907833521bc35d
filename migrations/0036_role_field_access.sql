ALTER TABLE "roles" ADD COLUMN "field_access" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
-- The principal carries the role's field access (hidden / read-only fields per object). Roles'
-- updates already bump the workspace's auth_version (migration 0012), so a change reaches every
-- node's cached principal.
CREATE OR REPLACE FUNCTION sen_principal(p_user_id uuid, p_workspace_id uuid)
RETURNS jsonb LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN (
    SELECT jsonb_build_object(
      'user_id', u.id, 'user_name', u.name, 'user_email', u.email::text, 'user_locale', u.locale,
      'workspace_id', m.workspace_id, 'member_status', m.status,
      'role_id', r.id, 'role_key', r.key, 'role_name', r.name, 'role_is_admin', r.is_admin,
      'role_permissions', r.permissions, 'role_field_access', r.field_access,
      'team_mate_ids', COALESCE((
        SELECT jsonb_agg(DISTINCT mate.user_id) FROM team_members mine
          JOIN team_members mate ON mate.team_id = mine.team_id
         WHERE mine.user_id = m.user_id AND mine.workspace_id = m.workspace_id), '[]'::jsonb))
    FROM workspace_members m
    JOIN users u ON u.id = m.user_id
    JOIN roles r ON r.id = m.role_id
    WHERE m.user_id = p_user_id AND m.workspace_id = p_workspace_id);
END
$$;
