-- Staff roles for managers, and personal data: phone (masked in views) and ID number (encrypted).
ALTER TABLE users
  ADD COLUMN staff_role text CHECK (staff_role IN ('admin', 'finance', 'operations', 'support')),
  ADD COLUMN phone text,
  ADD COLUMN id_number_enc text;
UPDATE users SET staff_role = 'admin' WHERE role = 'manager';
