//! The OpenAPI document, generated from the handlers' annotations.

use utoipa::{
    Modify, OpenApi,
    openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
};

/// Root of the generated OpenAPI 3 document served at `/api/openapi.json`.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Techno Support VMS API",
        description = "REST API of the VMS control plane. Every error body is {\"code\", \"message\"}. \
                       Obtain a token from POST /api/auth/login and send it as `Authorization: Bearer <token>`."
    ),
    modifiers(&BearerAuth),
    tags(
        (name = "auth", description = "Login and tokens"),
        (name = "sites", description = "Locations grouping cameras"),
        (name = "cameras", description = "Cameras and their streams"),
        (name = "events", description = "What cameras, analytics and integrations reported"),
        (name = "bookmarks", description = "Named time ranges on cameras, and the evidence lock on their footage"),
        (name = "rules", description = "Rules turning events into actions, and their webhooks"),
        (name = "layouts", description = "Each user's saved live-view layouts"),
        (name = "users", description = "Users, roles and grants"),
        (name = "tenants", description = "Tenants (super-admins)"),
        (name = "audit", description = "The tamper-evident audit trail"),
        (name = "api-keys", description = "Keys for integrations"),
        (name = "license", description = "The installation's licence"),
        (name = "system", description = "Planes and infrastructure"),
        (name = "health", description = "Liveness and readiness probes"),
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("JWT").build()),
        );
    }
}
