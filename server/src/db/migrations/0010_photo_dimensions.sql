-- A photo's width and height as read from its bytes on upload (JPEG frame header), so a check's
-- photo reference can be held to the file it names, as its size already is. Null for photos
-- uploaded before this, and for kinds whose dimensions are not read.
ALTER TABLE photos ADD COLUMN width integer, ADD COLUMN height integer;
