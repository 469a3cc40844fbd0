import type { CheckboxProps } from 'antd';

/**
 * Props for a table row's selection checkbox (`rowSelection.getCheckboxProps`): antd leaves the checkbox unnamed
 * (axe `label`, critical). Its props type omits `aria-*`, but antd hands them to the <input>.
 */
export function rowCheckboxProps(name: string, extra: Partial<CheckboxProps> = {}): Partial<CheckboxProps> {
  const named: Partial<CheckboxProps> & { 'aria-label': string } = { ...extra, 'aria-label': name };
  return named;
}
