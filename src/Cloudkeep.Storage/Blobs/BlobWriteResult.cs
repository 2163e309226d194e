namespace Cloudkeep.Storage.Blobs;

/// <summary>A durable blob and what was learned while writing it, so nothing is read twice.</summary>
public sealed record BlobWriteResult(BlobId Id, long Length, byte[] Md5);
