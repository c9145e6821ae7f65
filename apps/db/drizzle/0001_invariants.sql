-- Custom migration: the invariants the database itself enforces (docs/design/apps.md §Invariants), and the currency seed.
-- Kept as plain SQL because drizzle-kit does not model triggers. Every function is
-- CREATE OR REPLACE so a later migration can change one without dropping its trigger.

-- ISO 4217 currencies with their exponent. Source of truth: apps/db/src/currencies.ts
-- (currencies.test.ts fails when the two disagree). Adding a currency = a new migration.
INSERT INTO currencies (code, exponent) VALUES
  ('aud', 2),
  ('bhd', 3),
  ('brl', 2),
  ('cad', 2),
  ('chf', 2),
  ('clp', 0),
  ('cny', 2),
  ('czk', 2),
  ('dkk', 2),
  ('eur', 2),
  ('gbp', 2),
  ('hkd', 2),
  ('huf', 2),
  ('inr', 2),
  ('isk', 0),
  ('jod', 3),
  ('jpy', 0),
  ('krw', 0),
  ('kwd', 3),
  ('mxn', 2),
  ('nok', 2),
  ('nzd', 2),
  ('omr', 3),
  ('pln', 2),
  ('sek', 2),
  ('sgd', 2),
  ('tnd', 3),
  ('usd', 2),
  ('vnd', 0),
  ('zar', 2)
ON CONFLICT (code) DO NOTHING;
--> statement-breakpoint

-- Ledger entries and transactions are append-only (Modern Treasury: "posted is immutable").
-- A correction is a new, reversing transaction, never an edit.
CREATE OR REPLACE FUNCTION payday_reject_mutation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'integrity_constraint_violation', TABLE = TG_TABLE_NAME;
END
$$;
--> statement-breakpoint
CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries
  FOR EACH ROW EXECUTE FUNCTION payday_reject_mutation();
--> statement-breakpoint
CREATE TRIGGER ledger_entries_no_truncate BEFORE TRUNCATE ON ledger_entries
  FOR EACH STATEMENT EXECUTE FUNCTION payday_reject_mutation();
--> statement-breakpoint
CREATE TRIGGER ledger_transactions_append_only BEFORE UPDATE OR DELETE ON ledger_transactions
  FOR EACH ROW EXECUTE FUNCTION payday_reject_mutation();
--> statement-breakpoint
CREATE TRIGGER ledger_transactions_no_truncate BEFORE TRUNCATE ON ledger_transactions
  FOR EACH STATEMENT EXECUTE FUNCTION payday_reject_mutation();
--> statement-breakpoint
CREATE TRIGGER refunds_append_only BEFORE UPDATE OR DELETE ON refunds
  FOR EACH ROW EXECUTE FUNCTION payday_reject_mutation();
--> statement-breakpoint

-- Every ledger transaction balances per currency: sum of debits = sum of credits. Checked at
-- COMMIT (deferred constraint trigger), after all of the transaction's entries are inserted.
CREATE OR REPLACE FUNCTION payday_check_ledger_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  -- Fires for an entry (check its transaction) and for a transaction (check it has entries).
  txn text := CASE TG_TABLE_NAME WHEN 'ledger_entries' THEN to_jsonb(NEW) ->> 'transaction_id'
                                 ELSE to_jsonb(NEW) ->> 'id' END;
  bad record;
BEGIN
  SELECT currency,
         sum(CASE direction WHEN 'debit' THEN amount ELSE 0 END) AS debits,
         sum(CASE direction WHEN 'credit' THEN amount ELSE 0 END) AS credits
    INTO bad
    FROM ledger_entries
   WHERE transaction_id = txn
   GROUP BY currency
  HAVING sum(CASE direction WHEN 'debit' THEN amount ELSE -amount END) <> 0
   LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'ledger transaction % is unbalanced in %: debits % <> credits %',
      txn, bad.currency, bad.debits, bad.credits
      USING ERRCODE = 'check_violation', CONSTRAINT = 'ledger_entries_balanced';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM ledger_entries WHERE transaction_id = txn) THEN
    RAISE EXCEPTION 'ledger transaction % has no entries', txn
      USING ERRCODE = 'check_violation', CONSTRAINT = 'ledger_transactions_have_entries';
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER ledger_entries_balanced AFTER INSERT ON ledger_entries
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION payday_check_ledger_balanced();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER ledger_transactions_have_entries AFTER INSERT ON ledger_transactions
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION payday_check_ledger_balanced();
--> statement-breakpoint

-- A refund raises its payment's amount_refunded in the same statement. The UPDATE takes the
-- payment's row lock, so concurrent refunds serialise, and the payments check constraint
-- payments_refunded_le_captured rejects whichever refund would exceed the captured amount
-- (Adyen's accounting guard: total refunds <= captured).
CREATE OR REPLACE FUNCTION payday_apply_refund() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE payments
     SET amount_refunded = amount_refunded + NEW.amount,
         updated_at = now()
   WHERE id = NEW.payment_id
     AND merchant_id = NEW.merchant_id
     AND currency = NEW.currency
     AND status = 'succeeded';
  IF NOT FOUND THEN
    RAISE EXCEPTION 'refund %: payment % is not a succeeded % payment of merchant %',
      NEW.id, NEW.payment_id, NEW.currency, NEW.merchant_id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'refunds_payment_refundable';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER refunds_apply BEFORE INSERT ON refunds
  FOR EACH ROW EXECUTE FUNCTION payday_apply_refund();
