//! Evidence object storage over the S3 protocol (rust-s3), against an external endpoint or the
//! embedded one.

pub mod embedded;

use std::path::Path;

use anyhow::Context;
use s3::creds::Credentials;
use s3::error::S3Error;
use s3::{Bucket, BucketConfiguration, Region};
use secrecy::ExposeSecret;

use crate::secrets;
use crate::settings::StorageSettings;

pub use embedded::EmbeddedS3;

/// The evidence bucket. Cheap to clone.
#[derive(Clone)]
pub struct ObjectStore {
    bucket: Box<Bucket>,
}

/// An object read back from the store.
pub struct StoredObject {
    pub bytes: bytes::Bytes,
    pub content_type: Option<String>,
}

impl ObjectStore {
    /// Connects to the configured endpoint, or starts the embedded one under `data_dir/objects`
    /// with credentials generated at first start. Creates the bucket when it does not exist.
    pub async fn connect(
        settings: &StorageSettings,
        data_dir: &Path,
    ) -> anyhow::Result<(ObjectStore, Option<EmbeddedS3>)> {
        let (endpoint, access_key, secret_key, embedded) = match &settings.endpoint {
            Some(endpoint) => (
                endpoint.clone(),
                settings
                    .access_key
                    .clone()
                    .context("storage.access_key is required with storage.endpoint")?,
                settings
                    .secret_key
                    .as_ref()
                    .context("storage.secret_key is required with storage.endpoint")?
                    .expose_secret()
                    .to_owned(),
                None,
            ),
            None => {
                let access_key = secrets::load_or_create(&data_dir.join("s3-access-key"), || {
                    format!("KT{}", secrets::random_token(18).to_uppercase())
                })?;
                let secret_key = secrets::load_or_create(&data_dir.join("s3-secret-key"), || {
                    secrets::random_token(40)
                })?;
                let server =
                    embedded::start(&data_dir.join("objects"), &access_key, &secret_key).await?;
                (
                    server.endpoint.clone(),
                    access_key,
                    secret_key,
                    Some(server),
                )
            }
        };
        let region = Region::Custom {
            region: settings.region.clone(),
            endpoint,
        };
        let credentials = Credentials::new(Some(&access_key), Some(&secret_key), None, None, None)
            .context("building S3 credentials")?;
        let mut bucket = Bucket::new(&settings.bucket, region.clone(), credentials.clone())?;
        if settings.path_style {
            bucket = bucket.with_path_style();
        }
        let store = ObjectStore { bucket };
        // An unreachable store must not keep the API down: health reports it (503) and uploads
        // fail with a clear error until it is back.
        if let Err(error) = store
            .ensure_bucket(&settings.bucket, region, credentials)
            .await
        {
            tracing::error!(error = ?error, "object storage is not ready");
        }
        Ok((store, embedded))
    }

    async fn ensure_bucket(
        &self,
        name: &str,
        region: Region,
        credentials: Credentials,
    ) -> anyhow::Result<()> {
        if self.ping().await {
            return Ok(());
        }
        Bucket::create_with_path_style(name, region, credentials, BucketConfiguration::default())
            .await
            .with_context(|| format!("creating bucket {name}"))?;
        Ok(())
    }

    /// Whether the bucket answers a listing.
    pub async fn ping(&self) -> bool {
        self.bucket
            .list_page(String::new(), None, None, None, Some(1))
            .await
            .is_ok()
    }

    /// Stores `bytes` at `key`; returns once the store has acknowledged the write.
    pub async fn put(&self, key: &str, bytes: &[u8], content_type: &str) -> anyhow::Result<()> {
        self.bucket
            .put_object_with_content_type(key, bytes, content_type)
            .await
            .with_context(|| format!("storing object {key}"))?;
        Ok(())
    }

    /// Streams `reader` to `key` (multipart in 8 MiB parts above that size) and returns once the
    /// store has acknowledged it. If the reader fails, the multipart upload is aborted and no
    /// object is left.
    pub async fn put_stream<R: tokio::io::AsyncRead + Unpin>(
        &self,
        key: &str,
        reader: &mut R,
        content_type: &str,
    ) -> Result<(), s3::error::S3Error> {
        self.bucket
            .put_object_stream_with_content_type(reader, key, content_type)
            .await?;
        Ok(())
    }

    /// Keys and last-modified times of the objects under `prefix`.
    pub async fn list(
        &self,
        prefix: &str,
    ) -> anyhow::Result<Vec<(String, chrono::DateTime<chrono::Utc>)>> {
        let pages = self
            .bucket
            .list(prefix.to_owned(), None)
            .await
            .context("listing objects")?;
        let mut out = Vec::new();
        for object in pages.into_iter().flat_map(|page| page.contents) {
            let modified = chrono::DateTime::parse_from_rfc3339(&object.last_modified)
                .with_context(|| format!("last-modified of {}", object.key))?
                .with_timezone(&chrono::Utc);
            out.push((object.key, modified));
        }
        Ok(out)
    }

    /// The object at `key`, or `None` when there is none.
    pub async fn get(&self, key: &str) -> anyhow::Result<Option<StoredObject>> {
        match self.bucket.get_object(key).await {
            Ok(response) => {
                let content_type = response.headers().get("content-type").cloned();
                Ok(Some(StoredObject {
                    bytes: response.into_bytes(),
                    content_type,
                }))
            }
            Err(S3Error::HttpFailWithBody(404, _)) => Ok(None),
            Err(e) => Err(e).with_context(|| format!("reading object {key}")),
        }
    }

    /// Starts a multipart upload to `key`; returns its id.
    pub async fn begin_multipart(&self, key: &str, content_type: &str) -> anyhow::Result<String> {
        let started = self
            .bucket
            .initiate_multipart_upload(key, content_type)
            .await
            .with_context(|| format!("starting a multipart upload to {key}"))?;
        Ok(started.upload_id)
    }

    /// Stores part `number` (from 1) of a multipart upload; returns its ETag. Sending a part
    /// number again replaces that part.
    pub async fn put_part(
        &self,
        key: &str,
        multipart_id: &str,
        number: u32,
        bytes: Vec<u8>,
    ) -> anyhow::Result<String> {
        let part = self
            .bucket
            .put_multipart_chunk(bytes, key, number, multipart_id, "application/octet-stream")
            .await
            .with_context(|| format!("storing part {number} of {key}"))?;
        Ok(part.etag)
    }

    /// Joins the parts (ETags in order, part 1 first) into the object at `key`.
    pub async fn complete_multipart(
        &self,
        key: &str,
        multipart_id: &str,
        etags: &[String],
    ) -> anyhow::Result<()> {
        let parts = etags
            .iter()
            .enumerate()
            .map(|(n, etag)| s3::serde_types::Part {
                part_number: n as u32 + 1,
                etag: etag.clone(),
            })
            .collect();
        self.bucket
            .complete_multipart_upload(key, multipart_id, parts)
            .await
            .with_context(|| format!("completing the multipart upload of {key}"))?;
        Ok(())
    }

    /// Drops a multipart upload and its parts.
    pub async fn abort_multipart(&self, key: &str, multipart_id: &str) -> anyhow::Result<()> {
        match self.bucket.abort_upload(key, multipart_id).await {
            Ok(()) | Err(S3Error::HttpFailWithBody(404, _)) => Ok(()),
            Err(e) => Err(e).with_context(|| format!("aborting the multipart upload of {key}")),
        }
    }

    /// The object at `key` as a stream of chunks, for reading large objects without holding
    /// them whole.
    pub async fn get_stream(
        &self,
        key: &str,
    ) -> anyhow::Result<
        impl futures_util::Stream<Item = Result<bytes::Bytes, s3::error::S3Error>> + Send + use<>,
    > {
        let response = self
            .bucket
            .get_object_stream(key)
            .await
            .with_context(|| format!("reading object {key}"))?;
        Ok(response.bytes)
    }

    pub async fn delete(&self, key: &str) -> anyhow::Result<()> {
        self.bucket
            .delete_object(key)
            .await
            .with_context(|| format!("deleting object {key}"))?;
        Ok(())
    }
}
