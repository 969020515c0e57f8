//! `brightpath serve`: the HTTP API.

use anyhow::Result;
use brightpath_bus::Bus;
use brightpath_core::Error;

use super::Ctx;
use super::jobs::{bus_config, bus_error};

/// `brightpath serve`: the HTTP API until SIGTERM or Ctrl-C (requests in
/// flight finish first). With `oauth.client_id` set, people sign in with the
/// provider; on a loopback address a one-time link is printed as well.
pub async fn serve(ctx: &Ctx, a: crate::args::ServeArgs) -> Result<()> {
    use brightpath_server::http;
    let settings = &ctx.config.settings;
    let oauth = settings
        .oauth
        .client_id
        .as_deref()
        .filter(|c| !c.is_empty());
    // Without a sign-in provider, loopback only (see check_exposure).
    http::check_exposure(a.listen, oauth.is_some())
        .map_err(|e| Error::invalid("--listen", e.to_string()))?;
    let _sentry = super::sentry(ctx)?;
    let public_url = settings
        .server
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{}", a.listen));
    let provider = match oauth {
        Some(id) => Some(
            http::Provider::discover(
                &settings.oauth.issuer,
                id,
                settings.oauth.client_secret.as_deref(),
                &public_url,
            )
            .await
            .map_err(|e| match e {
                http::ProviderError::Discovery(..) => Error::Io(e.to_string()),
                other => Error::invalid("oauth", other.to_string()),
            })?,
        ),
        None => None,
    };
    let store = ctx.store().await?;
    let bus = match settings.valkey_url() {
        Some(_) => Some(Bus::connect(bus_config(ctx)).await.map_err(bus_error)?),
        None => None,
    };
    let actor = ctx.actor();
    // The one-time link is for a parent at this computer only.
    let link = if a.listen.ip().is_loopback() {
        Some(
            brightpath_core::services::web::issue_link(&store, &actor, jiff::Timestamp::now())
                .await?,
        )
    } else {
        None
    };
    let state = http::AppState {
        store,
        bus,
        metrics: Default::default(),
        today: settings.today,
        secure_cookies: public_url.starts_with("https://"),
        provider,
        sign_ins: Default::default(),
    };
    let ui = &ctx.ui;
    let google = oauth.is_some();
    http::serve(a.listen, state, http::shutdown_signal(), |addr| {
        let url = link
            .as_ref()
            .map(|t| format!("http://{addr}/login/local?token={t}"));
        if ui.format == crate::output::Format::Json {
            crate::output::out(&format!(
                "{}\n",
                serde_json::json!({"listening": addr.to_string(), "sign_in": url, "provider": google})
            ));
        } else {
            let mut text = format!("BrightPath is listening on http://{addr} (API under /api/v1).\n");
            if let Some(url) = url {
                text.push_str(&format!(
                    "Sign in as {actor} within 15 minutes, once, with:\n  {url}\n"
                ));
            }
            if google {
                text.push_str(&format!("Sign in with the provider at {public_url}/login/google\n"));
            }
            crate::output::out(&text);
        }
    })
    .await
    .map_err(|e| match e {
        http::ServeError::Listen { .. } => Error::Io(e.to_string()).into(),
        other => anyhow::anyhow!(other),
    })
}

/// `brightpath feed create|revoke`.
pub async fn feed(ctx: &Ctx, c: crate::args::FeedCmd) -> Result<()> {
    use brightpath_core::services::web;
    let store = ctx.store().await?;
    match c {
        crate::args::FeedCmd::Create => {
            let f = ctx.family(&store).await?;
            let token = web::issue_feed(&store, &f.id, jiff::Timestamp::now()).await?;
            let base = ctx
                .config
                .settings
                .server
                .public_url
                .clone()
                .unwrap_or_else(|| "http://127.0.0.1:8080".into());
            let url = format!("{}/feeds/{token}.ics", base.trim_end_matches('/'));
            if ctx.ui.format == crate::output::Format::Json {
                ctx.ui
                    .json(&serde_json::json!({"family": f.name, "url": url}))
            } else {
                crate::output::out(&format!(
                    "Subscribe to {}'s calendar at (keep it secret; `brightpath feed revoke` ends it):\n  {url}\n",
                    f.name
                ));
                Ok(())
            }
        }
        crate::args::FeedCmd::Revoke { token } => {
            web::revoke_feed(&store, token.trim().trim_end_matches(".ics")).await?;
            ctx.ui.note("Revoked: subscribed calendars stop updating.");
            Ok(())
        }
    }
}
