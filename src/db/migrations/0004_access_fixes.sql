-- Access fixes found by the security tests:
-- * a one-time code is accepted once only (RFC 6238 §5.2): the last accepted time step is kept;
-- * an administrator issues a password-reset token inside their own scoped transaction, so the
--   application role may insert one (it still cannot read them: tokens are checked by the owner).
ALTER TABLE users ADD COLUMN totp_last_step bigint;

DO $$
DECLARE
  r text := 'gongjian_app_' || current_database();
BEGIN
  EXECUTE format('GRANT INSERT ON password_reset_tokens TO %I', r);
END $$;
