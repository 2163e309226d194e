using System.Diagnostics.CodeAnalysis;

namespace Cloudkeep.Protocol.Model;

/// <summary>The shape types of the AWS service model (Smithy's, as botocore names them).</summary>
[SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "The members mirror the model's own type names.")]
public enum ShapeType
{
    Structure,
    List,
    Map,
    String,
    Integer,
    Long,
    Float,
    Double,
    Boolean,
    Timestamp,
    Blob,
}
