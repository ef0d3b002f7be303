using LeadGen.Core.Compliance;
using Npgsql;

namespace LeadGen.Core.Leads;

/// <summary>
/// Operator edits of a lead that touch compliance: setting a lead to do_not_call also lists its number, and a lead
/// whose number is listed cannot be moved out of do_not_call until the number is removed from the list.
/// </summary>
public sealed class LeadCommands(NpgsqlDataSource dataSource, LeadStore leads, DoNotCallRegistry doNotCall)
{
    public async Task<LeadUpdate> PatchAsync(Guid id, LeadPatch patch, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var current = await leads.GetForUpdateAsync(id, transaction, cancellationToken);
        if (current is null)
        {
            return new LeadUpdate(LeadUpdateOutcome.NotFound, null);
        }

        if (current.ErasedAt is not null)
        {
            return new LeadUpdate(LeadUpdateOutcome.Erased, current);
        }

        var phone = patch.Phone.HasValue ? patch.Phone.Value : current.Phone!;
        var status = patch.Status.HasValue ? patch.Status.Value : current.Status;
        var listed = await doNotCall.IsListedAsync(phone, cancellationToken, transaction);
        if (listed && status != LeadStatuses.DoNotCall)
        {
            if (patch.Status.HasValue || patch.Phone.HasValue)
            {
                return new LeadUpdate(LeadUpdateOutcome.NumberOnDoNotCallList, current);
            }
        }

        if (status == LeadStatuses.DoNotCall && !listed)
        {
            await doNotCall.AddAsync(phone, "set to do_not_call by an operator", "api", cancellationToken, transaction);
        }

        var result = await leads.UpdateAsync(id, patch, cancellationToken, transaction);
        if (result.Outcome == LeadUpdateOutcome.Updated)
        {
            await transaction.CommitAsync(cancellationToken);
        }

        return result;
    }
}
