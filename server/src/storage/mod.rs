//! Evidence object storage over the S3 protocol (rust-s3), against an external endpoint or the
//! embedded one.

pub mod embedded;

use std::path::Path;

use anyhow::Context;
use futures_util::{StreamExt, TryStreamExt};
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
    /// The same bucket addressed through the endpoint clients reach, for presigned URLs: a
    /// SigV4 signature covers the host, so a URL signed for the internal endpoint would not
    /// work under another name.
    public: Option<Box<Bucket>>,
    presign_ttl_secs: u32,
    /// Sends the streamed PUTs of [`ObjectStore::put_sized_stream`] (pooled connections).
    http: reqwest::Client,
}

/// How long the URL signed for one streamed PUT is valid. The store checks it when the request
/// starts, so it only has to cover the time between signing and sending (microseconds).
const STREAMED_PUT_URL_SECS: u32 = 300;

/// Chunks of a streamed PUT waiting for the store: the only buffering of a sized upload.
const STREAMED_PUT_CHUNKS: usize = 8;

/// An object read back from the store.
pub struct StoredObject {
    pub bytes: bytes::Bytes,
    pub content_type: Option<String>,
}

/// An object's bytes as they arrive from the store.
pub type ObjectStream =
    std::pin::Pin<Box<dyn futures_util::Stream<Item = std::io::Result<bytes::Bytes>> + Send>>;

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
        anyhow::ensure!(
            (1..=604_800).contains(&settings.presign_ttl_secs),
            "storage.presign_ttl_secs must be between 1 and 604800 (7 days, the S3 maximum)"
        );
        let public = match &settings.public_endpoint {
            Some(endpoint) => {
                let region = Region::Custom {
                    region: settings.region.clone(),
                    endpoint: endpoint.clone(),
                };
                let mut public = Bucket::new(&settings.bucket, region, credentials.clone())?;
                if settings.path_style {
                    public = public.with_path_style();
                }
                Some(public)
            }
            None => None,
        };
        let store = ObjectStore {
            bucket,
            public,
            presign_ttl_secs: settings.presign_ttl_secs,
            http: reqwest::Client::new(),
        };
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

    /// Streams `reader`, of a length not known in advance, to `key` and returns once the store
    /// has acknowledged it. The client library reads 8 MiB at a time (one PUT below that, a
    /// multipart upload above it, one part in flight at a time so an upload holds at most one
    /// part). If the reader fails, the multipart upload is aborted and no object is left.
    pub async fn put_stream<R: tokio::io::AsyncRead + Unpin>(
        &self,
        key: &str,
        reader: &mut R,
        content_type: &str,
    ) -> Result<(), S3Error> {
        self.bucket
            .put_object_stream_builder(key)
            .with_content_type(content_type)
            .with_max_concurrent_chunks(1)
            .execute_stream(reader)
            .await?;
        Ok(())
    }

    /// Streams `body`, exactly `length` bytes, to `key` in one PUT and returns once the store
    /// has acknowledged it. Unlike [`ObjectStore::put_stream`] nothing is held back: the
    /// request is signed ahead (a presigned URL, whose payload is not part of the signature),
    /// so each chunk goes on to the store as it arrives and the client's upload and the
    /// store's write overlap. If `body` fails or ends early, the request is cut off and the
    /// store keeps nothing. The caller hashes what it sends.
    pub async fn put_sized_stream<S>(
        &self,
        key: &str,
        length: u64,
        content_type: &str,
        mut body: S,
    ) -> anyhow::Result<()>
    where
        S: futures_util::Stream<Item = std::io::Result<bytes::Bytes>> + Unpin,
    {
        let mut signed = reqwest::header::HeaderMap::new();
        signed.insert(
            reqwest::header::CONTENT_TYPE,
            content_type.parse().context("content type")?,
        );
        let url = self
            .bucket
            .presign_put(key, STREAMED_PUT_URL_SECS, Some(signed), None)
            .await
            .with_context(|| format!("signing the PUT of {key}"))?;
        // The body may live on one thread (actix's payload); the HTTP client wants a `Send`
        // stream: a small channel hands the chunks over, and bounds what is buffered.
        let (sender, receiver) = tokio::sync::mpsc::channel(STREAMED_PUT_CHUNKS);
        let forward = async move {
            while let Some(chunk) = body.next().await {
                let failed = chunk.is_err();
                if sender.send(chunk).await.is_err() || failed {
                    break;
                }
            }
        };
        let chunks = futures_util::stream::unfold(receiver, |mut receiver| async move {
            receiver.recv().await.map(|chunk| (chunk, receiver))
        });
        let send = async {
            let response = self
                .http
                .put(url)
                .header(reqwest::header::CONTENT_TYPE, content_type)
                .header(reqwest::header::CONTENT_LENGTH, length)
                .body(reqwest::Body::wrap_stream(chunks))
                .send()
                .await
                .with_context(|| format!("storing object {key}"))?;
            let status = response.status();
            if !status.is_success() {
                let text = response.text().await.unwrap_or_default();
                anyhow::bail!("storing object {key}: the store answered {status}: {text}");
            }
            Ok(())
        };
        let ((), stored) = futures_util::future::join(forward, send).await;
        stored
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

    /// The object at `key` as a stream, or `None` when there is none: a 200 MB document costs
    /// a few buffers of memory, not 200 MB.
    pub async fn get_stream(&self, key: &str) -> anyhow::Result<Option<ObjectStream>> {
        match self.bucket.get_object_stream(key).await {
            Ok(response) => Ok(Some(Box::pin(
                response.bytes.map_err(std::io::Error::other),
            ))),
            Err(S3Error::HttpFailWithBody(404, _)) => Ok(None),
            Err(e) => Err(e).with_context(|| format!("reading object {key}")),
        }
    }

    /// A presigned GET of `key` on the public endpoint, valid for `storage.presign_ttl_secs`,
    /// whose response carries `content_disposition`; `None` when no public endpoint is set.
    pub async fn presign_get(
        &self,
        key: &str,
        content_disposition: &str,
    ) -> anyhow::Result<Option<String>> {
        let Some(public) = &self.public else {
            return Ok(None);
        };
        let queries = std::collections::HashMap::from([(
            "response-content-disposition".to_owned(),
            content_disposition.to_owned(),
        )]);
        let url = public
            .presign_get(key, self.presign_ttl_secs, Some(queries))
            .await
            .with_context(|| format!("presigning object {key}"))?;
        Ok(Some(url))
    }

    pub async fn delete(&self, key: &str) -> anyhow::Result<()> {
        self.bucket
            .delete_object(key)
            .await
            .with_context(|| format!("deleting object {key}"))?;
        Ok(())
    }
}
