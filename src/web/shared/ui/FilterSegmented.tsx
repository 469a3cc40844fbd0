import { Segmented, type SegmentedProps } from 'antd';

/**
 * antd's Segmented for a list filter or a view switch, named for screen readers and with one Tab stop. antd names
 * the group "segmented control" in English and makes the group itself a Tab stop before its radios; here the group
 * carries the given label and leaves the Tab order to its radios (arrow keys move between them).
 */
export function FilterSegmented<V extends string | number>({
  label,
  ...props
}: Omit<SegmentedProps<V>, 'aria-label' | 'tabIndex'> & { label: string }) {
  return <Segmented<V> {...props} aria-label={label} tabIndex={-1} />;
}
