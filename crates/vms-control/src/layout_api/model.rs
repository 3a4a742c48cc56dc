//! Layout bodies.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::ApiError;

/// Tile counts a layout may have.
const SIZES: [usize; 4] = [1, 4, 9, 16];

/// A layout as saved.
#[derive(Serialize, ToSchema)]
#[schema(example = layout_example)]
pub struct LayoutView {
    /// Its name, unique per user.
    pub name: String,
    /// Tiles: 1, 4, 9 or 16.
    pub size: u32,
    /// The camera in each tile, or `null`.
    pub cells: Vec<Option<Uuid>>,
    /// When it was last saved.
    pub updated_at: DateTime<Utc>,
}

impl From<vms_catalog::layout::Layout> for LayoutView {
    fn from(l: vms_catalog::layout::Layout) -> Self {
        Self { name: l.name, size: l.size.unsigned_abs(), cells: l.cells.0, updated_at: l.updated_at }
    }
}

/// An example of [`LayoutView`], for the API document.
fn layout_example() -> serde_json::Value {
    serde_json::json!({
        "name": "Dock overview",
        "size": 4,
        "cells": [
            "6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d",
            "b7c8d9e0-f1a2-4b3c-8d4e-5f6a7b8c9d0e",
            null,
            "c8d9e0f1-a2b3-4c4d-9e5f-6a7b8c9d0e1f"
        ],
        "updated_at": "2026-12-02T17:22:09Z"
    })
}

/// The caller's layouts.
#[derive(Serialize, ToSchema)]
#[schema(example = json!({"items": [layout_example()]}))]
pub struct LayoutList {
    /// By name.
    pub items: Vec<LayoutView>,
}

/// Body of `PUT /api/layouts/{name}`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "cells": [
        "6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d",
        "b7c8d9e0-f1a2-4b3c-8d4e-5f6a7b8c9d0e",
        null,
        "c8d9e0f1-a2b3-4c4d-9e5f-6a7b8c9d0e1f"
    ]
}))]
pub struct SaveLayout {
    /// The camera in each tile, or `null`: 1, 4, 9 or 16 entries.
    pub cells: Vec<Option<Uuid>>,
}

/// Checks a layout name: 1 to 64 characters after trimming, no control characters.
pub fn check_name(name: &str) -> Result<String, ApiError> {
    let trimmed = name.trim();
    if trimmed.is_empty() || trimmed.chars().count() > 64 || trimmed.chars().any(char::is_control) {
        return Err(ApiError::invalid("name", "must be 1 to 64 characters, without control characters"));
    }
    Ok(trimmed.to_owned())
}

impl SaveLayout {
    /// Checks the tile count.
    pub fn validate(&self) -> Result<(), ApiError> {
        if !SIZES.contains(&self.cells.len()) {
            return Err(ApiError::invalid("cells", "must have 1, 4, 9 or 16 entries"));
        }
        Ok(())
    }
}
