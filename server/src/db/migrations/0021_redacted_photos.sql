-- A photo whose areas were blurred on the device before it was kept (faces, names, cell cards):
-- the blurred image is the evidence, and the pack and review say it was redacted.
ALTER TABLE check_photos ADD COLUMN redacted boolean NOT NULL DEFAULT false;
