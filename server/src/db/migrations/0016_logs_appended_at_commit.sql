-- A push's audit rows and change-log rows, appended in one statement at the very end of its
-- transaction (server/src/audit.ts appendAuditBatch). Both logs are ordered by counters on the
-- establishment's row, and the row lock that orders them is held until commit: taken here, just
-- before COMMIT, it is held for one statement and the commit, not for the whole push, so pushes
-- of one establishment no longer queue behind each other's work.
--
-- Each audit row's hash is SHA-256 of the canonical JSON array
--   [establishmentId, seq, at, actorId, action, entityType, entityId, deviceId, details, prevHash]
-- (auditHash in audit.ts, which verifies). The caller sends, per row, `body`: the canonical JSON of
-- the middle seven, without brackets, and `prefix`: `["<establishment id>"`; only seq and prevHash
-- are known here, and both print the same in JSON and in SQL (an integer; hex digits or '').
CREATE FUNCTION append_logs(p_establishment uuid, p_prefix text, p_audit jsonb, p_changes jsonb) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  v_audit_seq bigint;
  v_head text;
  v_change_seq bigint;
  v_prevs text[] := '{}';
  v_hashes text[] := '{}';
  v_entry record;
BEGIN
  SELECT e.audit_seq, e.audit_head, e.change_seq INTO v_audit_seq, v_head, v_change_seq
  -- NO KEY UPDATE, as an UPDATE of these columns takes: the push's own inserts hold KEY SHARE on this
  -- row (their foreign keys), and FOR UPDATE would wait on every other push's, a deadlock.
  FROM establishments e WHERE e.id = p_establishment FOR NO KEY UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no establishment % to append to', p_establishment;
  END IF;
  FOR v_entry IN SELECT a.value, a.n FROM jsonb_array_elements(p_audit) WITH ORDINALITY AS a (value, n) ORDER BY a.n LOOP
    v_prevs := v_prevs || v_head;
    v_head := encode(sha256(convert_to(
      p_prefix || ',' || (v_audit_seq + v_entry.n)::text || ',' || (v_entry.value->>'body') || ',' || to_json(v_head)::text || ']',
      'UTF8')), 'hex');
    v_hashes := v_hashes || v_head;
  END LOOP;
  INSERT INTO audit_log (establishment_id, seq, at, actor_id, action, entity_type, entity_id, device_id, details, prev_hash, hash)
  SELECT p_establishment, v_audit_seq + a.n, (a.value->>'at')::timestamptz, (a.value->>'actorId')::uuid, a.value->>'action',
         a.value->>'entityType', a.value->>'entityId', a.value->>'deviceId', a.value->'details', v_prevs[a.n::int], v_hashes[a.n::int]
  FROM jsonb_array_elements(p_audit) WITH ORDINALITY AS a (value, n);
  INSERT INTO changes (establishment_id, seq, entity, entity_id, at)
  SELECT p_establishment, v_change_seq + c.n, c.value->>'entity', c.value->>'entityId', (c.value->>'at')::timestamptz
  FROM jsonb_array_elements(p_changes) WITH ORDINALITY AS c (value, n);
  UPDATE establishments
  SET audit_seq = v_audit_seq + jsonb_array_length(p_audit), audit_head = v_head,
      change_seq = v_change_seq + jsonb_array_length(p_changes)
  WHERE id = p_establishment;
END
$$;
