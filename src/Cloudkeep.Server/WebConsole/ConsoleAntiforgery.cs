using System.Security.Cryptography;
using Cloudkeep.Core.Crypto;
using Microsoft.AspNetCore.Http;

namespace Cloudkeep.Server.WebConsole;

/// <summary>
/// Antiforgery tokens for every console form (the synchronizer-token pattern bound to a cookie): the
/// browser holds a random nonce in an HttpOnly, SameSite=Strict cookie and each form carries that
/// nonce sealed under the master key. A post is accepted only when its field opens to the cookie's
/// nonce, which a page from another site can neither read nor make. Sealing rather than ASP.NET's
/// data-protection key ring lets every node sharing the master key check a form another node served.
/// </summary>
internal static class ConsoleAntiforgery
{
    public const string FieldName = "__RequestVerificationToken";
    public const string CookieName = "ck-console-af";
    private const string Purpose = "console:antiforgery";

    /// <summary>The token for this browser's forms, setting its nonce cookie when it has none yet.</summary>
    public static string TokenFor(HttpContext context, SecretBox box)
    {
        if (context.Items[CookieName] is not string nonce)
        {
            nonce = context.Request.Cookies[CookieName] is { Length: 32 } existing ? existing : Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
            if (context.Request.Cookies[CookieName] != nonce)
            {
                context.Response.Cookies.Append(CookieName, nonce, ConsoleCookies.Options(context, null));
            }

            context.Items[CookieName] = nonce;
        }

        return Convert.ToBase64String(box.Seal(System.Text.Encoding.ASCII.GetBytes(nonce), Purpose));
    }

    public static bool IsValid(HttpContext context, SecretBox box, IFormCollection form)
    {
        var nonce = context.Request.Cookies[CookieName];
        var token = form[FieldName].ToString();
        if (nonce is not { Length: 32 } || token.Length == 0)
        {
            return false;
        }

        try
        {
            var opened = box.Open(Convert.FromBase64String(token), Purpose);
            return CryptographicOperations.FixedTimeEquals(opened, System.Text.Encoding.ASCII.GetBytes(nonce));
        }
        catch (Exception e) when (e is FormatException or CryptographicException)
        {
            return false;
        }
    }
}

/// <summary>The console's cookies: HttpOnly, SameSite=Strict, path /console, Secure over TLS.</summary>
internal static class ConsoleCookies
{
    public const string Session = "ck-console-session";
    public const string PendingMfa = "ck-console-mfa";

    public static CookieOptions Options(HttpContext context, DateTimeOffset? expires) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = context.Request.IsHttps,
        Path = "/console",
        Expires = expires,
        IsEssential = true,
    };
}
