//! `brightpath serve`: the HTTP API.

use anyhow::Result;
use brightpath_bus::Bus;
use brightpath_core::Error;

use super::Ctx;
use super::jobs::{bus_config, bus_error};

/// `brightpath serve`: the HTTP API until SIGTERM or Ctrl-C (requests in
/// flight finish first).
pub async fn serve(ctx: &Ctx, a: crate::args::ServeArgs) -> Result<()> {
    use brightpath_server::http;
    // No sign-in provider is configured in this build: loopback only.
    http::check_exposure(a.listen, false).map_err(|e| Error::invalid("--listen", e.to_string()))?;
    let store = ctx.store().await?;
    let bus = match ctx.config.settings.valkey_url() {
        Some(_) => Some(Bus::connect(bus_config(ctx)).await.map_err(bus_error)?),
        None => None,
    };
    let actor = ctx.actor();
    let link =
        brightpath_core::services::web::issue_link(&store, &actor, jiff::Timestamp::now()).await?;
    let state = http::AppState {
        store,
        bus,
        metrics: Default::default(),
        today: ctx.config.settings.today,
        secure_cookies: false,
    };
    let ui = &ctx.ui;
    http::serve(a.listen, state, http::shutdown_signal(), |addr| {
        let url = format!("http://{addr}/login/local?token={link}");
        if ui.format == crate::output::Format::Json {
            crate::output::out(&format!(
                "{}\n",
                serde_json::json!({"listening": addr.to_string(), "sign_in": url})
            ));
        } else {
            crate::output::out(&format!(
                "BrightPath is listening on http://{addr} (API under /api/v1).\nSign in as {actor} within 15 minutes, once, with:\n  {url}\n"
            ));
        }
    })
    .await
    .map_err(|e| match e {
        http::ServeError::Listen { .. } => Error::Io(e.to_string()).into(),
        other => anyhow::anyhow!(other),
    })
}
