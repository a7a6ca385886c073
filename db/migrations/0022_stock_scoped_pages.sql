-- Issue 18: a stock move no longer empties every cached page. Until now any change to `products`
-- advanced page_cache_generation (0008, 0011), so during a sale each order's stock move dropped
-- every cached page of the catalogue. Pages now record the stock figures they read
-- (src/lib/db/stock-reads.ts) and the page cache checks those figures before answering
-- (src/lib/http/page-cache.ts), so an update of `products` that changes nothing but its stock
-- (stock, reserved and the updated_at the stock move sets) leaves the generation alone. Every other
-- change, and any insert or delete, still advances it at commit, once per transaction.
DROP TRIGGER IF EXISTS products_page_cache_generation ON products;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER products_page_cache_generation AFTER INSERT OR DELETE ON products
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION generation_bump('page_cache_generation');
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER products_page_cache_generation_update AFTER UPDATE ON products
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
  WHEN ((to_jsonb(OLD) - 'stock' - 'reserved' - 'updated_at') IS DISTINCT FROM (to_jsonb(NEW) - 'stock' - 'reserved' - 'updated_at'))
  EXECUTE FUNCTION generation_bump('page_cache_generation');
