-- Location tags: QR codes an admin prints and puts up on the wing (one per unit and per landing),
-- which the person doing a check scans as proof of being there. Each tag's text is a token signed
-- with the establishment's tag key (server/src/services/location-tags.ts); printing a new sheet
-- makes a new key and version, and tokens of an earlier version are refused from then on.
ALTER TABLE establishments ADD COLUMN tag_key text, ADD COLUMN tag_key_version integer NOT NULL DEFAULT 0;

-- How a check recorded presence, as the server verified it:
--   {"method": "tag", "place": "<landing, or null for the unit>", "scannedAt": "<ISO time>"}
--   {"method": "none", "reason": "<why no tag was scanned>"}
-- NULL for a check from an app that did not record it ("not recorded").
ALTER TABLE checks ADD COLUMN presence jsonb;
