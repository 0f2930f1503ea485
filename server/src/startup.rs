//! Builds the application from settings: database (migrated), object store (embedded S3 when
//! none is configured), token keys, and the HTTP server on a bound listener, so tests can use
//! port 0.

use std::net::TcpListener;

use actix_web::dev::Server;
use actix_web::middleware::{Compress, DefaultHeaders};
use actix_web::{App, HttpServer, web};
use anyhow::Context;
use secrecy::ExposeSecret;
use tracing_actix_web::TracingLogger;
use utoipa_actix_web::AppExt;

use crate::auth::token::TokenKeys;
use crate::clock::Clock;
use crate::services::evidence::derivatives::Derivatives;
use crate::settings::Settings;
use crate::state::AppState;
use crate::storage::{EmbeddedS3, ObjectStore};
use crate::{db, routes, secrets};

pub struct Application {
    port: u16,
    host: String,
    server: Server,
    state: web::Data<AppState>,
    embedded_s3: Option<EmbeddedS3>,
}

impl Application {
    pub async fn build(settings: Settings) -> anyhow::Result<Application> {
        std::fs::create_dir_all(&settings.data_dir)
            .with_context(|| format!("creating data directory {}", settings.data_dir.display()))?;
        let db = db::connect(&settings.database, &settings.data_dir).await?;
        let (storage, embedded_s3) = ObjectStore::connect(&settings.storage, &settings.data_dir)
            .await
            .context("connecting to object storage")?;
        let secret = match &settings.auth.jwt_secret {
            Some(secret) if secret.expose_secret().len() >= 32 => secret.expose_secret().to_owned(),
            Some(_) => anyhow::bail!("auth.jwt_secret must be at least 32 characters"),
            None => secrets::load_or_create(&settings.data_dir.join("jwt-secret"), || {
                secrets::random_token(64)
            })?,
        };
        let clock = Clock::system();
        let tokens = TokenKeys::new(secret.as_bytes(), &settings.auth, clock.clone());

        let listener = TcpListener::bind((settings.server.host.as_str(), settings.server.port))
            .with_context(|| {
                format!("binding {}:{}", settings.server.host, settings.server.port)
            })?;
        let port = listener.local_addr()?.port();
        let host = settings.server.host.clone();
        let max_json_bytes = settings.limits.max_json_bytes;
        let derivatives = Derivatives::new(
            db.clone(),
            storage.clone(),
            settings.limits.derivative_concurrency(),
            std::time::Duration::from_secs(settings.limits.derivative_max_wait_secs),
        );
        match derivatives.resume_pending().await {
            Ok(0) => {}
            Ok(n) => tracing::info!(
                pending = n,
                "resuming thumbnails and previews left by a restart"
            ),
            Err(error) => tracing::warn!(?error, "could not look for pending derivatives"),
        }
        if settings.limits.sweep_every_minutes > 0 {
            crate::services::evidence::sweeper::spawn_periodic(
                db.clone(),
                storage.clone(),
                std::time::Duration::from_secs(settings.limits.sweep_every_minutes * 60),
                chrono::Duration::hours(settings.limits.orphan_grace_hours),
                clock.clone(),
            );
        }
        let mailer = crate::mail::Mailer::from_settings(&settings.mail)?;
        let public_url = settings
            .server
            .public_url
            .as_deref()
            .map(|url| url.trim_end_matches('/').to_owned())
            .unwrap_or_else(|| format!("http://{host}:{port}"));
        let state = web::Data::new(AppState {
            db,
            storage,
            derivatives,
            tokens,
            clock,
            settings,
            mailer,
            public_url,
            uploads: Default::default(),
        });
        let app_state = state.clone();
        let api_document = web::Data::new(routes::docs::document());
        let server = HttpServer::new(move || {
            let (app, _) = App::new()
                .into_utoipa_app()
                .configure(|cfg| routes::configure_api(cfg, max_json_bytes))
                .split_for_parts();
            app.app_data(app_state.clone())
                .app_data(api_document.clone())
                .wrap(Compress::default())
                .wrap(
                    DefaultHeaders::new()
                        .add(("X-Content-Type-Options", "nosniff"))
                        .add(("Referrer-Policy", "same-origin")),
                )
                .wrap(TracingLogger::default())
                .default_service(web::to(routes::pwa::serve))
        })
        .listen(listener)?
        .run();
        Ok(Application {
            port,
            host,
            server,
            state,
            embedded_s3,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// `http://host:port`.
    pub fn url(&self) -> String {
        format!("http://{}:{}", self.host, self.port)
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Runs until the server is stopped (Ctrl-C or SIGTERM).
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let _keep_embedded_s3_running = self.embedded_s3;
        self.server.await
    }
}
