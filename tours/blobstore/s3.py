"""A blob store in any S3-compatible bucket (AWS S3, MinIO, Ceph RGW, Garage, R2) via boto3."""

from __future__ import annotations

from typing import IO, Any, BinaryIO

import boto3
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from tours.blobstore import BlobInfo, BlobNotFound, BlobStore, BlobStoreError, check_key
from tours.blobstore.multipart import UploadRequest, check_upload_request

_TRANSFER = TransferConfig(
    multipart_threshold=16 * 1024 * 1024, multipart_chunksize=16 * 1024 * 1024
)
_MISSING = {"404", "NoSuchKey", "NotFound"}


def _error_code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


class S3BlobStore(BlobStore):
    """Blobs as objects in one bucket. Browsers fetch them from presigned or public URLs."""

    def __init__(
        self,
        bucket: str,
        endpoint_url: str | None = None,
        region: str | None = None,
        access_key: str | None = None,
        secret_key: str | None = None,
        public_url: str | None = None,
    ) -> None:
        self.bucket = bucket
        self.public_url = public_url.rstrip("/") + "/" if public_url else None
        self.client: Any = boto3.client(
            "s3",
            endpoint_url=endpoint_url,
            region_name=region,
            aws_access_key_id=access_key,
            aws_secret_access_key=secret_key,
            config=Config(
                signature_version="s3v4",  # what every S3-compatible server accepts
                retries={"max_attempts": 3, "mode": "standard"},
                connect_timeout=5,
                read_timeout=30,
                s3={"addressing_style": "path"},
            ),
        )

    @property
    def location(self) -> str:
        return f"bucket {self.bucket}"

    def local_path(self, key: str) -> None:
        check_key(key)
        return None  # browsers fetch blobs from the bucket (see delivery_url)

    @property
    def takes_direct_uploads(self) -> bool:
        return True

    def create_if_missing(self) -> None:
        """Create the bucket if it does not exist (for development and tests)."""
        try:
            self.client.head_bucket(Bucket=self.bucket)
        except ClientError:
            try:
                self.client.create_bucket(Bucket=self.bucket)
            except (ClientError, BotoCoreError) as error:
                raise BlobStoreError(f"could not create bucket {self.bucket}: {error}") from error

    def put(
        self, key: str, data: IO[bytes], content_type: str, cache_control: str | None = None
    ) -> BlobInfo:
        check_key(key)
        extra = {"ContentType": content_type}
        if cache_control:
            extra["CacheControl"] = cache_control
        try:
            self.client.upload_fileobj(data, self.bucket, key, ExtraArgs=extra, Config=_TRANSFER)
        except (ClientError, BotoCoreError) as error:
            raise BlobStoreError(f"could not write {key}: {error}") from error
        info = self.stat(key)
        if info is None:
            raise BlobStoreError(f"{key} is missing right after it was written")
        return info

    def open(self, key: str, byte_range: tuple[int, int | None] | None = None) -> BinaryIO:
        check_key(key)
        args = {"Bucket": self.bucket, "Key": key}
        if byte_range is not None:
            start, end = byte_range
            args["Range"] = f"bytes={start}-{'' if end is None else end}"
        try:
            body: BinaryIO = self.client.get_object(**args)["Body"]
            return body
        except ClientError as error:
            if _error_code(error) in _MISSING:
                raise BlobNotFound(key) from error
            raise BlobStoreError(f"could not read {key}: {error}") from error
        except BotoCoreError as error:
            raise BlobStoreError(f"could not read {key}: {error}") from error

    def stat(self, key: str) -> BlobInfo | None:
        check_key(key)
        try:
            head = self.client.head_object(Bucket=self.bucket, Key=key)
        except ClientError as error:
            if _error_code(error) in _MISSING:
                return None
            raise BlobStoreError(f"could not inspect {key}: {error}") from error
        except BotoCoreError as error:
            raise BlobStoreError(f"could not inspect {key}: {error}") from error
        return BlobInfo(
            key=key,
            size=int(head["ContentLength"]),
            content_type=head.get("ContentType", "application/octet-stream"),
            etag=head["ETag"].strip('"'),
            cache_control=head.get("CacheControl"),
        )

    def delete(self, key: str) -> None:
        check_key(key)
        try:
            self.client.delete_object(Bucket=self.bucket, Key=key)
        except (ClientError, BotoCoreError) as error:
            raise BlobStoreError(f"could not delete {key}: {error}") from error

    def delivery_url(self, key: str, expires_in: int = 3600) -> str | None:
        check_key(key)
        if self.public_url:
            return self.public_url + key
        url: str = self.client.generate_presigned_url(
            "get_object", Params={"Bucket": self.bucket, "Key": key}, ExpiresIn=expires_in
        )
        return url

    def allow_origins(self, origins: list[str]) -> bool:
        """Let pages from ``origins`` load blobs and upload straight to the bucket (CORS).

        One rule for all origins: some S3-compatible servers refuse every preflight when any
        rule does not match. ``ETag`` is exposed because browsers need each part's ETag to
        complete a multipart upload."""
        rule = {
            "AllowedOrigins": origins,
            "AllowedMethods": ["GET", "HEAD", "PUT", "POST", "DELETE"],
            "AllowedHeaders": ["*"],
            "ExposeHeaders": ["ETag"],
            "MaxAgeSeconds": 3600,
        }
        try:
            self.client.put_bucket_cors(Bucket=self.bucket, CORSConfiguration={"CORSRules": [rule]})
        except (ClientError, BotoCoreError) as error:
            message = f"could not set the CORS rule of {self.bucket}: {error}"
            raise BlobStoreError(message) from error
        return True

    def check(self) -> None:
        try:
            self.client.head_bucket(Bucket=self.bucket)
        except (ClientError, BotoCoreError) as error:
            raise BlobStoreError(f"bucket {self.bucket} is not reachable: {error}") from error

    # Direct uploads (tours.blobstore.multipart): the browser sends them, the app signs.

    def presign_upload(self, request: UploadRequest, expires_in: int) -> str:
        check_upload_request(request)
        params: dict[str, Any] = {"Bucket": self.bucket, "Key": check_key(request.key)}
        if request.upload_id:
            params["UploadId"] = request.upload_id
        if request.part_number is not None:
            params["PartNumber"] = request.part_number
        try:
            url: str = self.client.generate_presigned_url(
                request.operation, Params=params, ExpiresIn=expires_in
            )
        except (ClientError, BotoCoreError) as error:
            raise BlobStoreError(f"could not sign {request.operation}: {error}") from error
        return url
