import { Checkbox, DatePicker, Form, InputNumber, Select, Space } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { type MessageKey, useT } from '../../shared/i18n';
import type { Schedule } from './orders.types';
import { quarterHours } from './quote';
import './orders.css';

export interface ScheduleValues {
  date?: Dayjs;
  time?: string;
  hours?: number;
  startDate?: Dayjs;
  weekdays?: number[];
  weeks?: number;
  months?: number;
  dueDate?: Dayjs;
  stars?: number;
  address?: string;
  district?: string;
  note?: string;
}

const day = (d: Dayjs | undefined) => (d ? d.format('YYYY-MM-DD') : '');

/** The schedule the form describes, for the item's mode (null while incomplete). */
export function scheduleOf(mode: string, v: ScheduleValues): Schedule | null {
  switch (mode) {
    case 'hourly':
      return v.date && v.time && v.hours
        ? { mode, startAt: `${day(v.date)}T${v.time}:00+08:00`, hours: v.hours }
        : null;
    case 'recurring':
      return v.startDate && v.weekdays?.length && v.time && v.hours && v.weeks
        ? {
            mode,
            startDate: day(v.startDate),
            weekdays: [...v.weekdays].sort(),
            startTime: v.time,
            hours: v.hours,
            weeks: v.weeks,
          }
        : null;
    case 'day_care':
    case 'live_in':
      return v.startDate && v.months ? { mode, startDate: day(v.startDate), months: v.months } : null;
    case 'maternity':
      return v.dueDate && v.stars ? { mode, dueDate: day(v.dueDate), stars: v.stars } : null;
    default:
      return null;
  }
}

/** The "when" inputs of a booking or a demand, by mode (names match ScheduleValues). */
export function ScheduleFields({ mode }: { mode: string }) {
  const t = useT();
  const weekdayOptions = [1, 2, 3, 4, 5, 6, 7].map((n) => ({
    value: n,
    label: t(`orders.weekday.${n}` as MessageKey),
  }));
  const timeOptions = quarterHours.map((q) => ({ value: q, label: q }));
  const disabledPast = (d: Dayjs) => d.isBefore(dayjs().startOf('day'));
  return (
    <>
      {mode === 'hourly' && (
        <>
          <Form.Item name="date" label={t('orders.book.date')} rules={[{ required: true }]}>
            <DatePicker
              style={{ width: '100%' }}
              inputReadOnly
              disabledDate={disabledPast}
              allowClear={false}
            />
          </Form.Item>
          <Form.Item
            name="time"
            label={t('orders.book.time')}
            rules={[{ required: true }]}
            extra={t('orders.book.lead')}
          >
            <Select options={timeOptions} showSearch aria-label={t('orders.book.time')} />
          </Form.Item>
          <Form.Item name="hours" label={t('orders.book.hours')} rules={[{ required: true }]}>
            <InputNumber
              min={1}
              max={12}
              precision={0}
              style={{ width: '100%' }}
              addonAfter={t('orders.book.hoursUnit')}
            />
          </Form.Item>
        </>
      )}
      {mode === 'recurring' && (
        <>
          <Form.Item name="startDate" label={t('orders.book.startDate')} rules={[{ required: true }]}>
            <DatePicker
              style={{ width: '100%' }}
              inputReadOnly
              disabledDate={disabledPast}
              allowClear={false}
            />
          </Form.Item>
          <Form.Item
            name="weekdays"
            label={t('orders.book.weekdays')}
            rules={[{ required: true, type: 'array', min: 1, message: t('orders.book.weekdays.required') }]}
          >
            <Checkbox.Group options={weekdayOptions} className="weekday-grid" />
          </Form.Item>
          <Form.Item name="time" label={t('orders.book.time')} rules={[{ required: true }]}>
            <Select options={timeOptions} showSearch />
          </Form.Item>
          <Space size={12} wrap>
            <Form.Item name="hours" label={t('orders.book.hoursPerVisit')} rules={[{ required: true }]}>
              <InputNumber min={1} max={8} precision={0} />
            </Form.Item>
            <Form.Item name="weeks" label={t('orders.book.weeks')} rules={[{ required: true }]}>
              <InputNumber min={1} max={12} precision={0} />
            </Form.Item>
          </Space>
        </>
      )}
      {(mode === 'day_care' || mode === 'live_in') && (
        <>
          <Form.Item name="startDate" label={t('orders.book.startDate')} rules={[{ required: true }]}>
            <DatePicker
              style={{ width: '100%' }}
              inputReadOnly
              disabledDate={disabledPast}
              allowClear={false}
            />
          </Form.Item>
          <Form.Item name="months" label={t('orders.book.months')} rules={[{ required: true }]}>
            <InputNumber min={1} max={24} precision={0} style={{ width: '100%' }} />
          </Form.Item>
          <div className="muted small orders-gap-b">{t('orders.book.contractHint')}</div>
        </>
      )}
      {mode === 'maternity' && (
        <>
          <Form.Item
            name="dueDate"
            label={t('orders.book.dueDate')}
            rules={[{ required: true }]}
            extra={t('orders.book.dueHint')}
          >
            <DatePicker
              style={{ width: '100%' }}
              inputReadOnly
              disabledDate={disabledPast}
              allowClear={false}
            />
          </Form.Item>
          <Form.Item name="stars" label={t('orders.book.stars')} rules={[{ required: true }]}>
            <InputNumber min={1} max={6} precision={0} style={{ width: '100%' }} />
          </Form.Item>
        </>
      )}
    </>
  );
}
