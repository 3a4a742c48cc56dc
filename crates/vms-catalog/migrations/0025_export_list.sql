-- Exports are listed per tenant, newest first, a page at a time
-- (`GET /api/exports`).
CREATE INDEX export_jobs_tenant_created_idx ON export_jobs (tenant_id, created_at DESC, id DESC);
