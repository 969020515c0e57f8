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
    // Without a Valkey, jobs (background plans, roster imports, training
    // after marks) run in this process.
    let (bus, local_worker) = match settings.valkey_url() {
        Some(_) => (
            Bus::connect(bus_config(ctx)).await.map_err(bus_error)?,
            None,
        ),
        None => {
            let registry = brightpath_server::jobs::core_registry(store.clone(), settings);
            let w = brightpath_server::worker::LocalWorker::start(bus_config(ctx), registry);
            (w.bus.clone(), Some(w))
        }
    };
    let bus = Some(bus);
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
        cache: Default::default(),
        options: http::ServeOptions {
            sessions: brightpath_core::services::web::SessionPolicy {
                idle: jiff::SignedDuration::from_hours(i64::from(
                    settings.server.session_idle_hours,
                )),
                lifetime: jiff::SignedDuration::from_hours(
                    24 * i64::from(settings.server.session_days),
                ),
            },
            public_origin: http::origin_of(&public_url),
            body_limit: settings.server.body_limit_kib as usize * 1024,
            upload_limit: settings.server.upload_limit_mib as usize * 1024 * 1024,
            request_timeout: std::time::Duration::from_secs(u64::from(
                settings.server.request_timeout,
            )),
            sign_ins_per_minute: settings.server.sign_ins_per_minute,
            learning: settings.learning,
        },
    };
    let ui = &ctx.ui;
    let google = oauth.is_some();
    let served = http::serve(a.listen, state, http::shutdown_signal(), |addr| {
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
    .await;
    // Jobs in flight finish (within the worker's grace period) before exit.
    if let Some(w) = local_worker {
        match w.stop().await {
            Ok(r) if r.released > 0 => ctx.ui.note(&format!(
                "{} unfinished in-process jobs were dropped at shutdown.",
                r.released
            )),
            Ok(_) => {}
            Err(e) => tracing::warn!("in-process worker: {e}"),
        }
    }
    served.map_err(|e| match e {
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

/// Parses `90d` or `90` as days.
fn days(text: &str) -> Result<u32> {
    let t = text.trim();
    t.strip_suffix('d').unwrap_or(t).parse().map_err(|_| {
        Error::invalid("--expires", format!("{text:?} is not a number of days"))
            .with_hint("write it as 90d or 90")
            .into()
    })
}

/// `brightpath token create|list|revoke`.
pub async fn token(ctx: &Ctx, c: crate::args::TokenCmd) -> Result<()> {
    use crate::args::TokenCmd;
    use brightpath_core::services::web::{self, Scope, WebSession};
    let store = ctx.store().await?;
    let who = |email: &Option<String>| match email {
        Some(e) => WebSession::person(e),
        None => WebSession::operator(&ctx.actor()),
    };
    let now = jiff::Timestamp::now();
    match c {
        TokenCmd::Create {
            name,
            scope,
            expires,
            email,
        } => {
            let t = web::create_token(
                &store,
                &who(&email),
                &name,
                Scope::parse(&scope)?,
                days(&expires)?,
                now,
            )
            .await?;
            if ctx.ui.format == crate::output::Format::Json {
                return ctx.ui.json(&t);
            }
            crate::output::out(&format!("{}\n", t.token));
            ctx.ui.note(&format!(
                "Token {} ({}, {} scope) until {}: shown only now; send it as `Authorization: Bearer …`.",
                t.info.id, t.info.name, t.info.scope, t.info.expires_at
            ));
            Ok(())
        }
        TokenCmd::List { email } => {
            let list = web::list_tokens(&store, &who(&email)).await?;
            let t = crate::output::Table {
                headers: ["id", "name", "scope", "expires", "last used", "revoked"]
                    .map(String::from)
                    .to_vec(),
                rows: list
                    .iter()
                    .map(|t| {
                        vec![
                            t.id.clone(),
                            t.name.clone(),
                            t.scope.clone(),
                            t.expires_at.clone(),
                            t.last_used_at.clone().unwrap_or_default(),
                            t.revoked_at.clone().unwrap_or_default(),
                        ]
                    })
                    .collect(),
            };
            ctx.ui.emit(&list, &t)
        }
        TokenCmd::Revoke { id, email } => {
            web::revoke_token(&store, &who(&email), id.trim(), now).await?;
            ctx.ui
                .note("Revoked: requests with it are refused from now on.");
            Ok(())
        }
    }
}
