//! The in-process S3-compatible endpoint used when no external S3 is configured.
//!
//! It is a real S3 server (s3s + s3s-fs, SigV4 enforced) on a loopback port, so the server talks
//! to it through exactly the client code it uses for MinIO, Garage or AWS.

use std::path::Path;

use anyhow::Context;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto::Builder as ConnBuilder;
use s3s::auth::SimpleAuth;
use s3s::service::S3ServiceBuilder;
use tokio::net::TcpListener;

/// A running embedded endpoint. Dropping it stops accepting connections.
pub struct EmbeddedS3 {
    pub endpoint: String,
    accept_loop: tokio::task::JoinHandle<()>,
}

impl Drop for EmbeddedS3 {
    fn drop(&mut self) {
        self.accept_loop.abort();
    }
}

/// Starts the endpoint on `127.0.0.1:0`, storing objects under `root`.
pub async fn start(root: &Path, access_key: &str, secret_key: &str) -> anyhow::Result<EmbeddedS3> {
    std::fs::create_dir_all(root).with_context(|| format!("creating {}", root.display()))?;
    let fs = s3s_fs::FileSystem::new(root)
        .map_err(|e| anyhow::anyhow!("opening the object directory: {e:?}"))?;
    let service = {
        let mut builder = S3ServiceBuilder::new(fs);
        builder.set_auth(SimpleAuth::from_single(access_key, secret_key));
        builder.build()
    };
    let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
    let endpoint = format!("http://{}", listener.local_addr()?);
    let accept_loop = tokio::spawn(async move {
        let http = ConnBuilder::new(TokioExecutor::new());
        loop {
            let socket = match listener.accept().await {
                Ok((socket, _)) => socket,
                Err(error) => {
                    tracing::warn!(%error, "embedded S3: accept failed");
                    continue;
                }
            };
            let conn = http
                .serve_connection(TokioIo::new(socket), service.clone())
                .into_owned();
            tokio::spawn(async move {
                if let Err(error) = conn.await {
                    tracing::debug!(%error, "embedded S3: connection ended with an error");
                }
            });
        }
    });
    tracing::info!(%endpoint, root = %root.display(), "embedded S3 endpoint started");
    Ok(EmbeddedS3 {
        endpoint,
        accept_loop,
    })
}
