use serde::Serialize;

/// The page envelope's numbers (`first`, `last`, `number`, `numberOfElements`, `size`,
/// `totalElements`, `totalPages`), computed once for every paged operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PageMeta {
    pub first: bool,
    pub last: bool,
    /// 0-based page number.
    pub number: i32,
    pub number_of_elements: i32,
    pub size: i32,
    pub total_elements: i64,
    pub total_pages: i32,
}

impl PageMeta {
    /// The envelope of page `number` (0-based) of `size` elements, holding `on_page` of `total`.
    pub fn new(number: u32, size: u32, on_page: usize, total: u64) -> Self {
        let size = size.max(1);
        let total_pages = total.div_ceil(u64::from(size));
        PageMeta {
            first: number == 0,
            last: u64::from(number) + 1 >= total_pages,
            number: number as i32,
            number_of_elements: on_page as i32,
            size: size as i32,
            total_elements: total as i64,
            total_pages: total_pages as i32,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelope_numbers() {
        let m = PageMeta::new(0, 10, 10, 25);
        assert_eq!(
            (m.first, m.last, m.total_pages, m.number_of_elements),
            (true, false, 3, 10)
        );
        let m = PageMeta::new(2, 10, 5, 25);
        assert_eq!((m.first, m.last, m.total_pages), (false, true, 3));
        let m = PageMeta::new(0, 10, 0, 0);
        assert_eq!((m.first, m.last, m.total_pages), (true, true, 0));
    }
}
