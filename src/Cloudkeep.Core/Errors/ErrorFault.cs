namespace Cloudkeep.Core.Errors;

/// <summary>Who is at fault for an error: AWS's query protocol writes this as &lt;Type&gt;.</summary>
public enum ErrorFault
{
    Sender,
    Receiver,
}
