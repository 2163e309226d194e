using System.Text;

namespace Cloudkeep.Server.Hosting;

/// <summary>
/// How request header bytes become text: UTF-8 where they are valid UTF-8 (what the AWS SDKs for
/// .NET, Java and Go send), ISO-8859-1 otherwise (what Python's http.client, under botocore and the
/// AWS CLI, sends for a non-ASCII value). Either way the text is what the client signed, so SigV4
/// verifies, and no header reaches Kestrel's bare 400 for "invalid characters". Kestrel asks for
/// the text through Encoding.GetString(ReadOnlySpan&lt;byte&gt;), which counts and decodes through
/// the pointer methods: without their overrides, Encoding's defaults copy every header value into
/// a new array twice (measured: 648 more bytes and about 70 ns per header value).
/// </summary>
internal sealed class HeaderEncoding : Encoding
{
    public static readonly HeaderEncoding Instance = new();

    private static readonly Encoding StrictUtf8 = new UTF8Encoding(false, throwOnInvalidBytes: true);

    public override int GetByteCount(char[] chars, int index, int count) => UTF8.GetByteCount(chars, index, count);

    public override int GetBytes(char[] chars, int charIndex, int charCount, byte[] bytes, int byteIndex) =>
        UTF8.GetBytes(chars, charIndex, charCount, bytes, byteIndex);

    public override int GetCharCount(byte[] bytes, int index, int count) =>
        Pick(bytes.AsSpan(index, count)).GetCharCount(bytes, index, count);

    public override int GetChars(byte[] bytes, int byteIndex, int byteCount, char[] chars, int charIndex) =>
        Pick(bytes.AsSpan(byteIndex, byteCount)).GetChars(bytes, byteIndex, byteCount, chars, charIndex);

    public override int GetCharCount(ReadOnlySpan<byte> bytes) => Pick(bytes).GetCharCount(bytes);

    public override int GetChars(ReadOnlySpan<byte> bytes, Span<char> chars) => Pick(bytes).GetChars(bytes, chars);

    public override unsafe int GetCharCount(byte* bytes, int count) => GetCharCount(new ReadOnlySpan<byte>(bytes, count));

    public override unsafe int GetChars(byte* bytes, int byteCount, char* chars, int charCount) =>
        GetChars(new ReadOnlySpan<byte>(bytes, byteCount), new Span<char>(chars, charCount));

    public override string GetString(byte[] bytes, int index, int count) => Pick(bytes.AsSpan(index, count)).GetString(bytes, index, count);

    public override int GetMaxByteCount(int charCount) => UTF8.GetMaxByteCount(charCount);

    public override int GetMaxCharCount(int byteCount) => byteCount;

    private static Encoding Pick(ReadOnlySpan<byte> bytes) => System.Text.Unicode.Utf8.IsValid(bytes) ? StrictUtf8 : Latin1;
}
