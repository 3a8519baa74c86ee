// A data table with sortable columns (the sort goes to the API: `sort=name` or `sort=-name`)
// and a pager that follows the API's next_cursor.
import type { ComponentChildren } from 'preact';
import { t } from '../i18n/index.js';

export interface Column<T> { key: string; label: string; /** the label is for assistive technology only (a column of checkboxes) */ hiddenLabel?: boolean; sortable?: boolean; cell: (row: T) => ComponentChildren }

export function DataTable<T>(props: {
  caption: string; columns: Column<T>[]; rows: T[]; sort?: string; onSort?: (sort: string) => void; rowKey: (row: T) => string;
}) {
  const { sort } = props;
  return (
    <div class="table-wrap">
      <table>
        <caption class="visually-hidden">{props.caption}</caption>
        <thead>
          <tr>
            {props.columns.map((c) => {
              const dir = sort === c.key ? 'ascending' : sort === `-${c.key}` ? 'descending' : undefined;
              return (
                <th scope="col" aria-sort={dir ?? (c.sortable ? 'none' : undefined)}>
                  {c.sortable && props.onSort
                    ? <button type="button" class="sort" aria-label={t('list.sortBy', { column: c.label })}
                        onClick={() => props.onSort!(dir === 'ascending' ? `-${c.key}` : c.key)}>
                        {c.label}<span aria-hidden="true">{dir === 'ascending' ? ' ▲' : dir === 'descending' ? ' ▼' : ''}</span>
                      </button>
                    : c.hiddenLabel ? <span class="visually-hidden">{c.label}</span> : c.label}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {props.rows.length === 0
            ? <tr><td colSpan={props.columns.length} class="empty">{t('list.empty')}</td></tr>
            : props.rows.map((row) => <tr key={props.rowKey(row)}>{props.columns.map((c) => <td>{c.cell(row)}</td>)}</tr>)}
        </tbody>
      </table>
    </div>
  );
}

export function Pager(props: { hasPrevious: boolean; next: string | null; onFirst: () => void; onNext: (cursor: string) => void }) {
  return (
    <nav class="pager" aria-label="pages">
      <button type="button" class="secondary" disabled={!props.hasPrevious} onClick={props.onFirst}>{t('list.first')}</button>
      <button type="button" class="secondary" disabled={!props.next} onClick={() => props.next && props.onNext(props.next)}>{t('list.next')}</button>
    </nav>
  );
}
