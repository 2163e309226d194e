using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Budgets.Operations;

/// <summary>Adds a subscriber to a budget's notification (budgets:ModifyBudget).</summary>
public sealed class CreateSubscriber(BudgetsContext budgets) : BudgetsOperation(budgets)
{
    protected override bool Modifies => true;

    protected override async ValueTask<OperationResult> HandleAsync(OperationRequest request, string accountId, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var wanted = NotificationLookup.Named(request.Input.OptObject("Notification"), problems);
        var subscriber = request.Input.OptObject("Subscriber") is { } s ? BudgetInput.Subscriber(s, problems) : null;
        if (subscriber is null)
        {
            problems.Add("A Subscriber is required.");
        }

        ThrowIfInvalid(problems);
        await Budgets.UpdateAsync(accountId, request.Input.Str("BudgetName"), budget =>
        {
            var index = NotificationLookup.Require(budget, wanted);
            var notification = budget.Notifications[index];
            if (notification.Subscribers.Contains(subscriber!))
            {
                throw BudgetsErrors.DuplicateRecord.ToException("The subscriber already exists.");
            }

            var subscribers = notification.Subscribers.Append(subscriber!).ToList();
            if (subscribers.Count(x => x.SubscriptionType == "SNS") > 1 || subscribers.Count(x => x.SubscriptionType == "EMAIL") > 10)
            {
                throw BudgetsErrors.CreationLimitExceeded.ToException("A notification can have one SNS subscriber and up to 10 EMAIL subscribers.");
            }

            return NotificationLookup.With(budget, index, notification with { Subscribers = subscribers }, Budgets.Time.GetUtcNow());
        }, cancellationToken);
        return OperationResult.Empty;
    }
}
