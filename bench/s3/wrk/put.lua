-- A 4 KiB PUT body for wrk; the pre-signed URL carries the signature (UNSIGNED-PAYLOAD).
wrk.method = "PUT"
wrk.body = string.rep("p", 4096)
