namespace Cloudkeep.Server.WebConsole;

/// <summary>
/// The console's one script, served from /console/static/upload.js (CSP script-src 'self'; nothing
/// inline): a file larger than one part goes up as a multipart upload, part by part, with a progress
/// bar; smaller files, and browsers without scripts, use the form's single PutObject.
/// </summary>
internal static class ConsoleScripts
{
    /// <summary>8 MiB: above S3's 5 MiB minimum part, and what the AWS CLI uses.</summary>
    public const int PartSize = 8 * 1024 * 1024;

    public const string Upload = """
        "use strict";
        (function () {
          var form = document.querySelector("#upload form");
          if (!form) { return; }
          var PART = 8388608;
          var progress = document.getElementById("upload-progress");
          var status = document.getElementById("upload-status");
          function field(name) { return form.querySelector("[name='" + name + "']").value; }
          function post(path, fields, file, onProgress) {
            return new Promise(function (resolve, reject) {
              var data = new FormData();
              data.append("__RequestVerificationToken", field("__RequestVerificationToken"));
              Object.keys(fields).forEach(function (k) {
                var v = fields[k];
                (Array.isArray(v) ? v : [v]).forEach(function (x) { data.append(k, x); });
              });
              if (file) { data.append("part", file, "part"); }
              var xhr = new XMLHttpRequest();
              xhr.open("POST", path);
              if (onProgress) { xhr.upload.onprogress = function (e) { onProgress(e.loaded); }; }
              xhr.onload = function () {
                var answer = {};
                try { answer = JSON.parse(xhr.responseText); } catch (e) { answer = { code: "Error", message: xhr.statusText }; }
                if (xhr.status === 200) { resolve(answer); } else { reject(answer); }
              };
              xhr.onerror = function () { reject({ code: "NetworkError", message: "The upload was interrupted." }); };
              xhr.send(data);
            });
          }
          form.addEventListener("submit", function (event) {
            var file = form.querySelector("input[type=file]").files[0];
            if (!file || file.size <= PART) { return; }
            event.preventDefault();
            var bucket = field("bucket");
            var key = field("prefix") + file.name;
            var where = { bucket: bucket, key: key };
            var done = 0, etags = [], uploadId = null;
            progress.max = file.size; progress.value = 0; progress.hidden = false;
            function show(sent) {
              progress.value = done + sent;
              status.textContent = Math.floor(100 * (done + sent) / file.size) + "% of " + file.name;
            }
            function next(part) {
              var start = (part - 1) * PART;
              if (start >= file.size) {
                return post("/console/s3/multipart/complete", { bucket: bucket, key: key, uploadId: uploadId, etag: etags });
              }
              var blob = file.slice(start, Math.min(start + PART, file.size));
              return post("/console/s3/multipart/part", { bucket: bucket, key: key, uploadId: uploadId, partNumber: String(part) }, blob, show)
                .then(function (answer) { etags.push(answer.etag); done += blob.size; show(0); return next(part + 1); });
            }
            post("/console/s3/multipart/create", { bucket: bucket, key: key, contentType: file.type || "" })
              .then(function (answer) { uploadId = answer.uploadId; return next(1); })
              .then(function (answer) { status.textContent = "Uploaded " + key + "."; window.location.href = answer.location; })
              .catch(function (error) {
                status.textContent = (error.code || "Error") + ": " + (error.message || "");
                status.className = "error";
                if (uploadId) { post("/console/s3/multipart/abort", { bucket: bucket, key: key, uploadId: uploadId }).catch(function () {}); }
              });
          });
        })();
        """;
}
