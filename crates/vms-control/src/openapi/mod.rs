//! The OpenAPI document, generated from the handlers' annotations and
//! completed from the route table ([`contract`]).

mod contract;

pub use contract::complete;

use utoipa::{
    Modify, OpenApi,
    openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme},
};

/// Root of the generated OpenAPI 3 document served at `/api/openapi.json`.
/// Its `version` is the API's, not the product's: `1.MINOR.PATCH`, MINOR
/// growing with each additive change (docs/design/0006-api-versioning.md).
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Techno Support VMS API",
        version = "1.3.0",
        description = "REST API of the VMS control plane (version 1, at /api). Every error body is \
                       {\"code\", \"message\"}. A person signs in with `login` and sends the access token as \
                       `Authorization: Bearer <token>`; an integration sends an API key as `X-Api-Key: <key>`. \
                       Changes within version 1 are additive only; see docs/ref/api.md for the conventions."
    ),
    modifiers(&Credentials),
    tags(
        (name = "auth", description = "Login and tokens"),
        (name = "sites", description = "Locations grouping cameras"),
        (name = "cameras", description = "Cameras and their streams"),
        (name = "devices", description = "Finding ONVIF devices on the network, onboarding them as cameras, importing NVRs and steering PTZ"),
        (name = "ptz", description = "Steering PTZ cameras: moves, presets and home"),
        (name = "live", description = "Live video for players, forwarded to the media plane serving the stream"),
        (name = "playback", description = "Recorded footage: ranges, playlists, thumbnails"),
        (name = "exports", description = "Signed evidence exports and their verification key"),
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

/// The two ways a caller proves who it is: a user's access token, or an
/// integration's API key.
struct Credentials;

impl Modify for Credentials {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            contract::BEARER,
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some("An access token from `login` or `refreshToken`; it lives minutes. An API key is also accepted here."))
                    .build(),
            ),
        );
        components.add_security_scheme(
            contract::API_KEY,
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "X-Api-Key",
                "A key from `createApiKey`, for integrations; it acts with the grants it was given.",
            ))),
        );
        components.add_security_scheme(
            contract::TICKET,
            SecurityScheme::ApiKey(ApiKey::Query(ApiKeyValue::with_description(
                "ticket",
                "A short-lived, single-purpose ticket for one camera stream (`issueStreamTicket`), for players \
                 that fetch by URL and cannot send a header: live video, playlists.",
            ))),
        );
    }
}
