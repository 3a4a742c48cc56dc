//! Custom live-view layouts, saved per user.

use sqlx::PgExecutor;
use uuid::Uuid;

use crate::CatalogError;

/// Layouts one user may keep.
pub const MAX_PER_USER: i64 = 100;

/// A saved layout.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Layout {
    /// Its name, unique per user.
    pub name: String,
    /// Tiles: 1, 4, 9 or 16.
    pub size: i32,
    /// The camera in each tile, or `None`.
    pub cells: sqlx::types::Json<Vec<Option<Uuid>>>,
    /// When it was last saved.
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// Lists a user's layouts by name.
pub async fn list(db: impl PgExecutor<'_>, user_id: Uuid) -> Result<Vec<Layout>, CatalogError> {
    Ok(sqlx::query_as("SELECT name, size, cells, updated_at FROM user_layouts WHERE user_id = $1 ORDER BY name")
        .bind(user_id)
        .fetch_all(db)
        .await?)
}

/// Saves (creates or replaces) a user's layout; refuses a new one past
/// [`MAX_PER_USER`].
pub async fn save(
    db: impl PgExecutor<'_>,
    tenant_id: Uuid,
    user_id: Uuid,
    name: &str,
    cells: &[Option<Uuid>],
) -> Result<Layout, CatalogError> {
    let size = i32::try_from(cells.len()).map_err(|_| CatalogError::invalid("cells", "too many tiles"))?;
    let saved: Option<Layout> = sqlx::query_as(
        "INSERT INTO user_layouts (user_id, tenant_id, name, size, cells) \
         SELECT $1, $2, $3, $4, $5 \
         WHERE EXISTS (SELECT 1 FROM user_layouts WHERE user_id = $1 AND name = $3) \
            OR (SELECT count(*) FROM user_layouts WHERE user_id = $1) < $6 \
         ON CONFLICT (user_id, name) DO UPDATE SET size = EXCLUDED.size, cells = EXCLUDED.cells, updated_at = now() \
         RETURNING name, size, cells, updated_at",
    )
    .bind(user_id)
    .bind(tenant_id)
    .bind(name)
    .bind(size)
    .bind(sqlx::types::Json(cells))
    .bind(MAX_PER_USER)
    .fetch_optional(db)
    .await?;
    saved.ok_or_else(|| CatalogError::invalid("name", format!("at most {MAX_PER_USER} layouts per user")))
}

/// Deletes a user's layout; returns whether it existed.
pub async fn delete(db: impl PgExecutor<'_>, user_id: Uuid, name: &str) -> Result<bool, CatalogError> {
    let done = sqlx::query("DELETE FROM user_layouts WHERE user_id = $1 AND name = $2")
        .bind(user_id)
        .bind(name)
        .execute(db)
        .await?;
    Ok(done.rows_affected() > 0)
}
