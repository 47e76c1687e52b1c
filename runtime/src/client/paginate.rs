//! Streams of pages and of items for list operations.
//!
//! Generated code implements [`TokenPaginated`] for operations paged by an
//! opaque token (ECS `NextToken`) and [`PagePaginated`] for operations paged
//! by page number (ECS `PageNumber`, Zilliz `currentPage`). The streams stop
//! when the service signals the end (no or empty token; an empty page; the
//! reported total reached), when a token repeats (a server bug that would
//! otherwise loop forever), or at the caller's [`PageLimit`].

use std::collections::HashSet;

use futures_util::stream::{self, BoxStream, StreamExt, TryStreamExt};

use super::{Client, Error};
use crate::Operation;

/// A list operation: how to take the items out of one page.
pub trait Paginated: Operation + Clone + Send + Sync {
    /// One listed item.
    type Item: Send + 'static;
    /// The number of items on a page.
    fn item_count(output: &Self::Output) -> usize;
    /// The items of a page.
    fn into_items(output: Self::Output) -> Vec<Self::Item>;
}

/// Paged by an opaque continuation token.
pub trait TokenPaginated: Paginated {
    /// The token this request asks for (`None` on the first page).
    fn token(&self) -> Option<&str>;
    /// Ask for the page at `token`.
    fn set_token(&mut self, token: String);
    /// The token of the next page, from a page.
    fn next_token(output: &Self::Output) -> Option<&str>;
}

/// Paged by page number.
pub trait PagePaginated: Paginated {
    /// The number of the first page (1 for every documented service).
    const FIRST_PAGE: i64;
    /// The page this request asks for (`None`: the first).
    fn page(&self) -> Option<i64>;
    /// Ask for page `page`.
    fn set_page(&mut self, page: i64);
    /// The page size this request asks for, if set.
    fn page_size(&self) -> Option<i64>;
    /// The total item count a page reports, if it reports one.
    fn total(output: &Self::Output) -> Option<i64>;
}

/// The caller's bound on a listing. The default is unbounded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PageLimit {
    /// Stop after this many pages.
    pub max_pages: Option<usize>,
    /// Stop after this many items (the items stream truncates the last page;
    /// the pages stream stops after the page that reaches it).
    pub max_items: Option<usize>,
}

impl PageLimit {
    /// No bound: follow the service to the end.
    pub fn unbounded() -> Self {
        PageLimit::default()
    }

    /// At most `n` pages.
    pub fn pages(n: usize) -> Self {
        PageLimit {
            max_pages: Some(n),
            max_items: None,
        }
    }

    /// At most `n` items.
    pub fn items(n: usize) -> Self {
        PageLimit {
            max_pages: None,
            max_items: Some(n),
        }
    }

    fn reached(&self, pages: usize, items: usize) -> bool {
        self.max_pages.is_some_and(|m| pages >= m) || self.max_items.is_some_and(|m| items >= m)
    }
}

/// Where a listing stands between pages.
struct Cursor<'a, O> {
    client: &'a Client,
    next: Option<O>,
    pages: usize,
    items: usize,
    seen_tokens: HashSet<String>,
    limit: PageLimit,
}

impl<'a, O> Cursor<'a, O> {
    fn new(client: &'a Client, first: O, limit: PageLimit) -> Self {
        let next = (!limit.reached(0, 0)).then_some(first);
        Cursor {
            client,
            next,
            pages: 0,
            items: 0,
            seen_tokens: HashSet::new(),
            limit,
        }
    }

    /// Count a fetched page; `true` if the caller's limit is now reached.
    fn count(&mut self, items: usize) -> bool {
        self.pages += 1;
        self.items += items;
        self.limit.reached(self.pages, self.items)
    }
}

type PageResult<O> = Result<<O as Operation>::Output, Error<<O as Operation>::ErrorCode>>;

impl Client {
    /// Every page of a token-paged listing, starting at `request`.
    pub fn token_pages<'a, O: TokenPaginated + 'a>(
        &'a self,
        request: O,
        limit: PageLimit,
    ) -> BoxStream<'a, PageResult<O>> {
        let mut cursor = Cursor::new(self, request, limit);
        if let Some(token) = cursor.next.as_ref().and_then(|r| r.token()) {
            cursor.seen_tokens.insert(token.to_owned());
        }
        let pages = stream::try_unfold(cursor, |mut cursor| async move {
            let Some(request) = cursor.next.take() else {
                return Ok(None);
            };
            let page = cursor.client.send(&request).await?;
            let limited = cursor.count(O::item_count(&page));
            cursor.next = match O::next_token(&page) {
                Some(token) if !limited && !token.is_empty() && cursor.seen_tokens.insert(token.to_owned()) => {
                    let mut next = request;
                    next.set_token(token.to_owned());
                    Some(next)
                }
                _ => None,
            };
            Ok(Some((page, cursor)))
        });
        pages.boxed()
    }

    /// Every page of a page-numbered listing, starting at `request`'s page.
    pub fn numbered_pages<'a, O: PagePaginated + 'a>(
        &'a self,
        request: O,
        limit: PageLimit,
    ) -> BoxStream<'a, PageResult<O>> {
        let cursor = Cursor::new(self, request, limit);
        let pages = stream::try_unfold(cursor, |mut cursor| async move {
            let Some(request) = cursor.next.take() else {
                return Ok(None);
            };
            let page = cursor.client.send(&request).await?;
            let count = O::item_count(&page);
            let limited = cursor.count(count);
            let number = request.page().unwrap_or(O::FIRST_PAGE);
            // Items before this page, when the page size is known; otherwise
            // what this listing has fetched so far.
            let seen = match request.page_size() {
                Some(size) => (number - O::FIRST_PAGE)
                    .saturating_mul(size)
                    .saturating_add(count as i64),
                None => cursor.items as i64,
            };
            let exhausted = count == 0 || O::total(&page).is_some_and(|total| seen >= total);
            if !limited && !exhausted {
                let mut next = request;
                next.set_page(number.saturating_add(1));
                cursor.next = Some(next);
            }
            Ok(Some((page, cursor)))
        });
        pages.boxed()
    }

    /// Every item of a token-paged listing, page after page.
    pub fn token_items<'a, O: TokenPaginated + 'a>(
        &'a self,
        request: O,
        limit: PageLimit,
    ) -> BoxStream<'a, Result<O::Item, Error<O::ErrorCode>>> {
        items::<O>(self.token_pages(request, limit), limit)
    }

    /// Every item of a page-numbered listing, page after page.
    pub fn numbered_items<'a, O: PagePaginated + 'a>(
        &'a self,
        request: O,
        limit: PageLimit,
    ) -> BoxStream<'a, Result<O::Item, Error<O::ErrorCode>>> {
        items::<O>(self.numbered_pages(request, limit), limit)
    }
}

fn items<'a, O: Paginated + 'a>(
    pages: BoxStream<'a, PageResult<O>>,
    limit: PageLimit,
) -> BoxStream<'a, Result<O::Item, Error<O::ErrorCode>>> {
    let flat = pages
        .map_ok(|page| stream::iter(O::into_items(page).into_iter().map(Ok)))
        .try_flatten();
    flat.take(limit.max_items.unwrap_or(usize::MAX)).boxed()
}
