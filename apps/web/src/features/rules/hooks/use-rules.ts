import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { toasts } from '../../../lib/toasts';
import { fetchRules, reloadRules, ruleKeys, testRules } from '../api/rules-api';

export function useRules() {
  return useQuery({ queryKey: ruleKeys.status(), queryFn: ({ signal }) => fetchRules(signal) });
}

export function useReloadRules() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: reloadRules,
    meta: { errorTitle: 'Could not reload the rules' },
    onSuccess: (status) => {
      queryClient.setQueryData(ruleKeys.status(), status);
      if (status.failedReload) toasts.show('error', 'The rules did not reload; the previous rules stay in force');
      else toasts.show('success', `Loaded ${status.rules.length} rules`);
    },
  });
}

/** Runs pasted audit JSON through the rules; a 400 (what is wrong with the text) is shown beside the tester. */
export function useRuleTest() {
  return useMutation({ mutationFn: testRules, meta: { errorTitle: 'The rule test failed' } });
}
