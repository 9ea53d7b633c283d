-- Places on a unit, besides its landings, that have a location tag of their own: the servery, the
-- kitchen, the exercise yard. Each gets a QR code on the tag sheet beside the unit's and its landings'.
ALTER TABLE units ADD COLUMN places text[] NOT NULL DEFAULT '{}';
