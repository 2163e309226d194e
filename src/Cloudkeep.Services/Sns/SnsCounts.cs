namespace Cloudkeep.Services.Sns;

/// <summary>A topic's confirmed and pending subscriptions, as GetTopicAttributes reports them.</summary>
public static class SnsCounts
{
    public static async Task<(int Confirmed, int Pending)> OfTopicAsync(SnsContext sns, string topicArn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sns);
        var confirmed = 0;
        var pending = 0;
        var after = "";
        while (true)
        {
            var page = await sns.Repository.SubscriptionsOfTopicAsync(topicArn, after, 1000, cancellationToken);
            foreach (var subscription in page)
            {
                if (subscription.Confirmed)
                {
                    confirmed++;
                }
                else
                {
                    pending++;
                }
            }

            if (page.Count < 1000)
            {
                return (confirmed, pending);
            }

            after = page[^1].Arn;
        }
    }
}
