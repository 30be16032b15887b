-- Distinct visitors per business day (a hashed visitor cookie), for visitors-to-order conversion.
CREATE TABLE daily_visitors (
  day date NOT NULL,
  visitor text NOT NULL,
  PRIMARY KEY (day, visitor)
);
CREATE INDEX orders_paid_at_idx ON orders (paid_at) WHERE paid_at IS NOT NULL;
CREATE INDEX commission_lines_created_idx ON commission_lines (created_at);
