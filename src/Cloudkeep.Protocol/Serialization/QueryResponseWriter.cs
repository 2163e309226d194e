using System.Text.Json.Nodes;
using System.Xml;
using Cloudkeep.Core.Errors;
using Cloudkeep.Protocol.Model;

namespace Cloudkeep.Protocol.Serialization;

/// <summary>
/// Query protocol responses: &lt;OpResponse xmlns=...&gt;&lt;OpResult&gt;...&lt;/OpResult&gt;
/// &lt;ResponseMetadata&gt;&lt;RequestId/&gt;&lt;/ResponseMetadata&gt;&lt;/OpResponse&gt;, and the
/// ErrorResponse document for failures.
/// </summary>
public static class QueryResponseWriter
{
    private static readonly XmlWriterSettings Settings = SafeXml.WriterSettings;

    public static byte[] WriteResult(ServiceModel service, OperationModel operation, JsonObject output, string requestId)
    {
        using var buffer = new MemoryStream();
        using (var writer = XmlWriter.Create(buffer, Settings))
        {
            writer.WriteStartElement(operation.Name + "Response", service.XmlNamespace ?? "");
            if (operation.Output is { } shape)
            {
                writer.WriteStartElement(operation.ResultWrapper ?? operation.Name + "Result");
                XmlShapeWriter.WriteMembers(writer, shape, output);
                writer.WriteEndElement();
            }

            writer.WriteStartElement("ResponseMetadata");
            writer.WriteElementString("RequestId", requestId);
            writer.WriteEndElement();
            writer.WriteEndElement();
        }

        return buffer.ToArray();
    }

    public static byte[] WriteError(string? xmlNamespace, AwsException error, string requestId)
    {
        using var buffer = new MemoryStream();
        using (var writer = XmlWriter.Create(buffer, Settings))
        {
            writer.WriteStartElement("ErrorResponse", xmlNamespace ?? "");
            writer.WriteStartElement("Error");
            writer.WriteElementString("Type", error.Error.Fault == ErrorFault.Sender ? "Sender" : "Receiver");
            writer.WriteElementString("Code", error.Code);
            writer.WriteElementString("Message", SafeXml.Text(error.Message));
            foreach (var (name, value) in error.Fields)
            {
                writer.WriteElementString(name, SafeXml.Text(value));
            }

            writer.WriteEndElement();
            writer.WriteElementString("RequestId", requestId);
            writer.WriteEndElement();
        }

        return buffer.ToArray();
    }
}
