//! Sign-in with an OpenID Connect provider (Google by default): the
//! authorization code flow with PKCE (S256), `state` and `nonce`. The ID
//! token is checked by `openidconnect`: its signature against the provider's
//! published keys (JWKS, fetched by key id, so rotated keys are followed),
//! `iss`, `aud`, expiry and the nonce; then BrightPath asks for a verified
//! e-mail. The person's families are those where that e-mail is a
//! guardian's.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use brightpath_core::services::web;
use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreProviderMetadata};
use openidconnect::{
    AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointMaybeSet, EndpointNotSet,
    EndpointSet, IssuerUrl, Nonce, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope,
    TokenResponse,
};
use serde::{Deserialize, Serialize};

use super::AppState;
use super::problem::Problem;

type Client = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// A provider, discovered at start-up.
#[derive(Clone)]
pub struct Provider {
    client: Client,
    http: reqwest::Client,
    /// Read again when a token is signed by a key we have not seen: the
    /// provider rotated its keys.
    issuer: IssuerUrl,
}

#[derive(Debug, thiserror::Error)]
pub enum ProviderError {
    #[error("oauth.issuer {0:?}: {1}")]
    Issuer(String, String),
    #[error("the sign-in redirect {0:?} is not a URL: {1}")]
    Redirect(String, String),
    #[error("cannot read the provider's discovery document at {0}: {1}")]
    Discovery(String, String),
}

impl Provider {
    /// Reads the issuer's discovery document; sign-ins come back to
    /// `public_url` + `/auth/callback`.
    pub async fn discover(
        issuer: &str,
        client_id: &str,
        client_secret: Option<&str>,
        public_url: &str,
    ) -> Result<Provider, ProviderError> {
        let plain = issuer.starts_with("http://");
        let local = ["http://127.0.0.1", "http://localhost", "http://[::1]"]
            .iter()
            .any(|p| issuer.starts_with(p));
        if plain && !local {
            return Err(ProviderError::Issuer(
                issuer.into(),
                "must be https:// (http:// is accepted on this machine only, for tests)".into(),
            ));
        }
        let url = IssuerUrl::new(issuer.to_string())
            .map_err(|e| ProviderError::Issuer(issuer.into(), e.to_string()))?;
        let redirect = format!("{}/auth/callback", public_url.trim_end_matches('/'));
        let redirect = RedirectUrl::new(redirect.clone())
            .map_err(|e| ProviderError::Redirect(redirect, e.to_string()))?;
        // No redirects: a token endpoint that redirects is not followed (SSRF).
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(10))
            .build()
            .map_err(|e| ProviderError::Discovery(issuer.into(), e.to_string()))?;
        let meta = CoreProviderMetadata::discover_async(url.clone(), &http)
            .await
            .map_err(|e| ProviderError::Discovery(issuer.into(), e.to_string()))?;
        let client = CoreClient::from_provider_metadata(
            meta,
            ClientId::new(client_id.to_string()),
            client_secret.map(|s| ClientSecret::new(s.to_string())),
        )
        .set_redirect_uri(redirect);
        Ok(Provider {
            client,
            http,
            issuer: url,
        })
    }
}

impl Provider {
    /// The provider's current signing keys (after a rotation), or why not.
    async fn fresh_keys(&self) -> Result<openidconnect::core::CoreJsonWebKeySet, String> {
        let meta = CoreProviderMetadata::discover_async(self.issuer.clone(), &self.http)
            .await
            .map_err(|e| e.to_string())?;
        Ok(meta.jwks().clone())
    }
}

/// What the callback needs, kept server-side under the `state`.
#[derive(Serialize, Deserialize)]
struct Attempt {
    verifier: String,
    nonce: String,
}

fn problem(status: StatusCode, detail: impl Into<String>) -> Response {
    Problem::new(status, "sign_in", detail)
        .with_hint("start again from the sign-in page")
        .into_response()
}

/// `GET /login/google`: off to the provider, with PKCE, state and nonce.
pub async fn start(State(state): State<AppState>) -> Response {
    let Some(p) = &state.provider else {
        return Problem::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "no sign-in provider is configured",
        )
        .with_hint("set oauth.client_id (and oauth.client_secret) to sign in with Google")
        .into_response();
    };
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, csrf, nonce) = p
        .client
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .add_scope(Scope::new("email".into()))
        .add_scope(Scope::new("profile".into()))
        .set_pkce_challenge(challenge)
        .url();
    let attempt = Attempt {
        verifier: verifier.secret().clone(),
        nonce: nonce.secret().clone(),
    };
    let payload = match serde_json::to_string(&attempt) {
        Ok(p) => p,
        Err(e) => {
            return Problem::from(brightpath_core::Error::Internal(e.to_string())).into_response();
        }
    };
    if let Err(e) = web::remember_attempt(
        &state.store,
        csrf.secret(),
        &payload,
        jiff::Timestamp::now(),
    )
    .await
    {
        return Problem::from(e).into_response();
    }
    Redirect::to(url.as_str()).into_response()
}

#[derive(Deserialize)]
pub struct Callback {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

/// `GET /auth/callback`: the provider's answer becomes a session, or a
/// problem that says why not. Nothing is trusted before the ID token checks.
pub async fn callback(State(state): State<AppState>, Query(q): Query<Callback>) -> Response {
    let Some(p) = &state.provider else {
        return problem(StatusCode::NOT_FOUND, "no sign-in provider is configured");
    };
    if let Some(e) = q.error {
        return problem(
            StatusCode::UNAUTHORIZED,
            format!("the provider refused: {e}"),
        );
    }
    let (Some(code), Some(st)) = (q.code, q.state) else {
        return problem(StatusCode::BAD_REQUEST, "the callback has no code or state");
    };
    let now = jiff::Timestamp::now();
    let attempt: Attempt = match web::take_attempt(&state.store, &st, now).await {
        Ok(a) => match serde_json::from_str(&a) {
            Ok(a) => a,
            Err(_) => return problem(StatusCode::BAD_REQUEST, "this sign-in is damaged"),
        },
        Err(e) if e.kind() == brightpath_core::ErrorKind::Invalid => {
            return problem(
                StatusCode::BAD_REQUEST,
                "this sign-in is unknown, used or expired",
            );
        }
        Err(e) => return Problem::from(e).into_response(),
    };
    let request = match p.client.exchange_code(AuthorizationCode::new(code)) {
        Ok(r) => r,
        Err(e) => {
            return problem(
                StatusCode::BAD_GATEWAY,
                format!("the provider has no token endpoint: {e}"),
            );
        }
    };
    let tokens = match request
        .set_pkce_verifier(PkceCodeVerifier::new(attempt.verifier))
        .request_async(&p.http)
        .await
    {
        Ok(t) => t,
        Err(e) => {
            return problem(
                StatusCode::BAD_GATEWAY,
                format!("the provider did not give a token: {e}"),
            );
        }
    };
    let Some(id_token) = tokens.id_token() else {
        return problem(StatusCode::BAD_GATEWAY, "the provider sent no ID token");
    };
    let nonce = Nonce::new(attempt.nonce);
    let claims = match id_token.claims(&p.client.id_token_verifier(), &nonce) {
        Ok(c) => c.clone(),
        // Signed by a key we have not seen: the provider rotated its keys.
        // Read them again and check once more (never trust an unknown key).
        Err(openidconnect::ClaimsVerificationError::SignatureVerification(
            openidconnect::SignatureVerificationError::NoMatchingKey,
        )) => {
            let keys = match p.fresh_keys().await {
                Ok(k) => k,
                Err(e) => {
                    return problem(
                        StatusCode::BAD_GATEWAY,
                        format!("cannot read the provider's keys: {e}"),
                    );
                }
            };
            let fresh = openidconnect::core::CoreIdTokenVerifier::new_public_client(
                p.client.client_id().clone(),
                p.issuer.clone(),
                keys,
            );
            match id_token.claims(&fresh, &nonce) {
                Ok(c) => c.clone(),
                Err(e) => {
                    return problem(
                        StatusCode::UNAUTHORIZED,
                        format!("the ID token is not valid: {e}"),
                    );
                }
            }
        }
        Err(e) => {
            return problem(
                StatusCode::UNAUTHORIZED,
                format!("the ID token is not valid: {e}"),
            );
        }
    };
    let Some(email) = claims.email().map(|e| e.as_str().to_string()) else {
        return problem(StatusCode::FORBIDDEN, "the provider gave no e-mail address");
    };
    if claims.email_verified() != Some(true) {
        return problem(
            StatusCode::FORBIDDEN,
            format!("{email} is not verified by the provider"),
        );
    }
    // Keyed by the provider's subject; no e-mail in the log (personal data).
    let subject = format!("{}|{}", p.issuer.as_str(), claims.subject().as_str());
    tracing::info!(sub = %claims.subject().as_str(), "signed in with the provider");
    let policy = state.options.sessions;
    let token = match web::provider_session(&state.store, &subject, &email, now, &policy).await {
        Ok(t) => t,
        Err(e) => return Problem::from(e).into_response(),
    };
    super::auth::signed_in(&token, &state)
}
