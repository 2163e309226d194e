using System.Buffers;
using System.Text.Json;

namespace Cloudkeep.Services.CloudTrail;

public static partial class AuditRecords
{
    /// <summary>
    /// A thread's reusable buffer and JSON writer. Taken out of its thread-static slot while in use, so
    /// a nested or failed use (an exception half-way leaves the writer mid-object) never sees it dirty:
    /// it gets a fresh one, and only a writer that finished is put back.
    /// </summary>
    private sealed class Scratch
    {
        /// <summary>A buffer grown past this by an unusually large record is not kept for the thread.</summary>
        private const int KeptCapacity = 16 * 1024;

        private Scratch(ArrayBufferWriter<byte> buffer, Utf8JsonWriter json)
        {
            Buffer = buffer;
            Json = json;
        }

        public ArrayBufferWriter<byte> Buffer { get; }

        public Utf8JsonWriter Json { get; }

        public static Scratch Take(ref Scratch? slot)
        {
            if (slot is { } kept)
            {
                slot = null;
                return kept;
            }

            var buffer = new ArrayBufferWriter<byte>(2048);
            return new Scratch(buffer, new Utf8JsonWriter(buffer));
        }

        public static void Return(ref Scratch? slot, Scratch scratch)
        {
            if (scratch.Buffer.Capacity > KeptCapacity)
            {
                scratch.Json.Dispose();
                return;
            }

            scratch.Buffer.ResetWrittenCount();
            scratch.Json.Reset(scratch.Buffer);
            slot = scratch;
        }
    }
}
