using System.Text;
using System.Text.Encodings.Web;

namespace Cloudkeep.Server.WebConsole;

/// <summary>
/// Builds a page's markup. Every value is HTML-encoded on the way in (<see cref="Text"/>, attribute
/// helpers); only the fixed markup of the console's own code is written raw.
/// </summary>
internal sealed class Html
{
    private readonly StringBuilder _builder = new();

    public static string Encode(string? value) => HtmlEncoder.Default.Encode(value ?? "");

    public Html Raw(string markup)
    {
        _builder.Append(markup);
        return this;
    }

    public Html Text(string? value)
    {
        _builder.Append(Encode(value));
        return this;
    }

    /// <summary>An element with encoded text content: <c>El("td", value)</c>.</summary>
    public Html El(string tag, string? text, string? cssClass = null)
    {
        _builder.Append('<').Append(tag);
        if (cssClass is not null)
        {
            _builder.Append(" class=\"").Append(Encode(cssClass)).Append('"');
        }

        _builder.Append('>').Append(Encode(text)).Append("</").Append(tag).Append('>');
        return this;
    }

    public Html Link(string href, string text, string? cssClass = null)
    {
        _builder.Append("<a href=\"").Append(Encode(href)).Append('"');
        if (cssClass is not null)
        {
            _builder.Append(" class=\"").Append(Encode(cssClass)).Append('"');
        }

        _builder.Append('>').Append(Encode(text)).Append("</a>");
        return this;
    }

    /// <summary>A form posting to <paramref name="action"/> with its antiforgery token.</summary>
    public Html FormStart(string action, string token, string? cssClass = null, bool multipart = false)
    {
        _builder.Append("<form method=\"post\" action=\"").Append(Encode(action)).Append('"');
        if (multipart)
        {
            _builder.Append(" enctype=\"multipart/form-data\"");
        }

        if (cssClass is not null)
        {
            _builder.Append(" class=\"").Append(Encode(cssClass)).Append('"');
        }

        _builder.Append("><input type=\"hidden\" name=\"").Append(ConsoleAntiforgery.FieldName).Append("\" value=\"").Append(Encode(token)).Append("\">");
        return this;
    }

    public Html FormEnd() => Raw("</form>");

    public Html Hidden(string name, string? value) =>
        Raw("<input type=\"hidden\" name=\"").Text(name).Raw("\" value=\"").Text(value).Raw("\">");

    /// <summary>A labelled input; passwords and codes are never echoed back (no value).</summary>
    public Html Field(string label, string name, string type = "text", string? value = null, string? autocomplete = null, bool required = true)
    {
        Raw("<label>").Text(label).Raw("<input type=\"").Text(type).Raw("\" name=\"").Text(name).Raw("\" id=\"").Text(name).Raw('"'.ToString());
        if (value is not null && type is not "password")
        {
            Raw(" value=\"").Text(value).Raw("\"");
        }

        if (autocomplete is not null)
        {
            Raw(" autocomplete=\"").Text(autocomplete).Raw("\"");
        }

        if (required)
        {
            Raw(" required");
        }

        return Raw("></label>");
    }

    public Html Button(string text, string? name = null, string? value = null, string cssClass = "primary")
    {
        Raw("<button type=\"submit\" class=\"").Text(cssClass).Raw("\"");
        if (name is not null)
        {
            Raw(" name=\"").Text(name).Raw("\" value=\"").Text(value).Raw("\"");
        }

        return Raw(">").Text(text).Raw("</button>");
    }

    public Html Error(string? message) => message is null ? this : Raw("<p class=\"error\" role=\"alert\">").Text(message).Raw("</p>");

    public Html Notice(string? message) => message is null ? this : Raw("<p class=\"notice\" role=\"status\">").Text(message).Raw("</p>");

    public override string ToString() => _builder.ToString();
}
