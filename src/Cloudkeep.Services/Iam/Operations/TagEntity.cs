using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;
using Cloudkeep.Services.Iam.Model;

namespace Cloudkeep.Services.Iam.Operations;

/// <summary>iam:TagUser, UntagUser, ListUserTags and the same for roles: one implementation per verb, parameterised by entity.</summary>
public sealed class TagEntity : IamOperation
{
    public enum Verb
    {
        Tag,
        Untag,
        List,
    }

    private readonly bool _user;
    private readonly Verb _verb;

    public TagEntity(IamContext iam, bool user, Verb verb)
        : base(iam)
    {
        _user = user;
        _verb = verb;
    }

    public override string Operation => _verb switch
    {
        Verb.Tag => _user ? "TagUser" : "TagRole",
        Verb.Untag => _user ? "UntagUser" : "UntagRole",
        _ => _user ? "ListUserTags" : "ListRoleTags",
    };

    protected override ValueTask<string> ResourceAsync(OperationRequest request, CancellationToken cancellationToken) =>
        _user ? UserArnAsync(request, "UserName", cancellationToken) : RoleArnAsync(request, cancellationToken);

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var account = Account(request);
        var name = request.Input.Str(_user ? "UserName" : "RoleName");
        Func<IReadOnlyList<IamTag>, IReadOnlyList<IamTag>> change = _verb switch
        {
            Verb.Tag => tags => TagInputs.Merge(tags, TagInputs.Read(request.Input)),
            Verb.Untag => tags => TagInputs.Remove(tags, request.Input.OptArray("TagKeys").Strings()),
            _ => tags => tags,
        };
        IReadOnlyList<IamTag> result;
        if (_user)
        {
            result = _verb == Verb.List
                ? (await Iam.Store.RequireAsync<IamUser>(account, IamKinds.User, name, () => IamErrors.NoSuchUser(name), cancellationToken)).Tags
                : (await Iam.Store.UpdateAsync<IamUser>(account, IamKinds.User, name, u => u with { Tags = change(u.Tags) }, () => IamErrors.NoSuchUser(name), cancellationToken)).Tags;
        }
        else
        {
            result = _verb == Verb.List
                ? (await Iam.Store.RequireAsync<IamRole>(account, IamKinds.Role, name, () => IamErrors.NoSuchRole(name), cancellationToken)).Tags
                : (await Iam.Store.UpdateAsync<IamRole>(account, IamKinds.Role, name, r => r with { Tags = change(r.Tags) }, () => IamErrors.NoSuchRole(name), cancellationToken)).Tags;
        }

        return _verb == Verb.List
            ? new OperationResult(new JsonObject { ["Tags"] = IamOutputs.Tags(result), ["IsTruncated"] = false })
            : OperationResult.Empty;
    }
}
