-- Who holds a spent token: a claim id for spends that may be given back (only by their own
-- holder), NULL for final spends.
ALTER TABLE used_tokens ADD COLUMN claim TEXT;
